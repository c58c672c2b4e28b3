"use client";

import { useState } from "react";
import { formatCount } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";

/** Characters of a text rendered at first: a megabyte in one <pre> makes the panel slow to scroll, so the rest waits for a click. */
export const TEXT_PREVIEW_CHARS = 100_000;

/** Text in a scrolling <pre>, as text (never markup), cut to TEXT_PREVIEW_CHARS until asked. */
export function LongText({ text, testId, maxHeight = "max-h-[32rem]" }: { text: string; testId?: string; maxHeight?: string }) {
  const [all, setAll] = useState(false);
  const cut = !all && text.length > TEXT_PREVIEW_CHARS;
  return (
    <div className="space-y-1">
      <pre data-testid={testId} className={`${maxHeight} overflow-auto rounded border border-line bg-canvas px-3 py-2 font-mono text-[11px] leading-relaxed break-all whitespace-pre-wrap text-ink`}>
        {cut ? `${text.slice(0, TEXT_PREVIEW_CHARS)}\n…` : text}
      </pre>
      {cut ? (
        <button type="button" onClick={() => setAll(true)} className={BUTTON_CLASS}>
          Show all {formatCount(text.length)} characters
        </button>
      ) : null}
    </div>
  );
}
