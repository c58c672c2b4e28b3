"use client";

import { useMemo, useState } from "react";
import type { RawForm } from "@/lib/contracts/messages";
import { formatBytes, formatCount } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";
import { JsonTree } from "./json-tree";
import { LongText } from "./long-text";
import { HEX_DUMP_BYTES, hexDump, parseRawJson, rawBytes, rawText } from "./value-forms";

/** The value as a JSON tree, parsed from its raw form (or why it cannot be). */
export function RawJsonTree({ raw }: { raw: RawForm }) {
  const parsed = useMemo(() => parseRawJson(raw), [raw]);
  if (!parsed.ok) {
    return (
      <p data-testid="inspector-tree-unavailable" className="text-xs text-ink-muted">
        Not shown as a tree: {parsed.error}.
      </p>
    );
  }
  return <JsonTree value={parsed.value} testId="inspector-tree" />;
}

/** The value as text (bytes that are not UTF-8 shown as �). */
export function RawText({ raw }: { raw: RawForm }) {
  const text = useMemo(() => rawText(raw), [raw]);
  return <LongText text={text} testId="inspector-text" />;
}

/** The value's bytes as a hex dump, the first HEX_DUMP_BYTES at first. */
export function RawHex({ raw }: { raw: RawForm }) {
  const [limit, setLimit] = useState(HEX_DUMP_BYTES);
  const bytes = useMemo(() => rawBytes(raw), [raw]);
  const dump = useMemo(() => hexDump(bytes, limit), [bytes, limit]);
  return (
    <div className="space-y-1">
      <pre data-testid="inspector-hex" className="max-h-[32rem] overflow-auto rounded border border-line bg-canvas px-3 py-2 font-mono text-[11px] leading-relaxed whitespace-pre text-ink">
        {dump.lines.join("\n")}
      </pre>
      <p className="text-[11px] text-ink-faint">
        {formatBytes(dump.shownBytes)} of {formatBytes(bytes.length)} shown
        {raw.truncated ? ` (the preview of a ${formatBytes(raw.sizeBytes)} value)` : ""}
      </p>
      {dump.shownBytes < bytes.length ? (
        <button type="button" onClick={() => setLimit(limit * 4)} className={BUTTON_CLASS}>
          Show {formatCount(Math.min(bytes.length, limit * 4) - dump.shownBytes)} more bytes
        </button>
      ) : null}
    </div>
  );
}
