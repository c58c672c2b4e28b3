"use client";

import { useState } from "react";
import { formatCount } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";

/** Characters of a payload rendered at first: a huge payload would make the page slow to scroll, so the rest waits for a click. */
export const PAYLOAD_PREVIEW_CHARS = 50_000;

/** Pretty JSON; a payload stored as JSON text is parsed first so it is indented too. */
function prettyPayload(payload: unknown): string | null {
  if (payload === undefined) return null;
  if (typeof payload === "string") {
    try {
      return JSON.stringify(JSON.parse(payload), null, 2);
    } catch {
      return payload;
    }
  }
  return JSON.stringify(payload, null, 2);
}

/** The row's payload as the server sent it: masked fields stay masked, the server decides. */
export function EventPayload({ payload, maskFields }: { payload: unknown; maskFields: readonly string[] }) {
  const [showAll, setShowAll] = useState(false);
  const text = prettyPayload(payload);
  if (text === null) return <p className="text-xs text-ink-faint">No payload.</p>;
  const cut = !showAll && text.length > PAYLOAD_PREVIEW_CHARS;
  return (
    <div className="space-y-1">
      {maskFields.length > 0 ? (
        <p data-testid="trace-masked-fields" className="text-[11px] text-ink-muted">
          Masked for your role: <code className="font-mono text-ink">{maskFields.join(", ")}</code>
        </p>
      ) : null}
      <pre data-testid="trace-payload" className="max-h-[28rem] overflow-auto rounded border border-line bg-canvas px-3 py-2 font-mono text-[11px] leading-relaxed whitespace-pre-wrap text-ink">
        {cut ? `${text.slice(0, PAYLOAD_PREVIEW_CHARS)}\n…` : text}
      </pre>
      {cut ? (
        <button type="button" data-testid="trace-payload-all" onClick={() => setShowAll(true)} className={BUTTON_CLASS}>
          Show all {formatCount(text.length)} characters
        </button>
      ) : null}
    </div>
  );
}
