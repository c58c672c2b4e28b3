"use client";

import { useState } from "react";

/**
 * Copies text to the clipboard and keeps what came of it ("Copied", or why it failed: the
 * clipboard needs a secure context and the page's focus) for the button's caption.
 */
export function useCopyText(): { copied: string | null; copy: (text: string) => Promise<void> } {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("Copied");
    } catch (error) {
      setCopied(`Copy failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return { copied, copy };
}
