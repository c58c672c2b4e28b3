"use client";

import { useState } from "react";
import { formatCount } from "@/lib/format/numbers";
import type { CellState } from "./row-diff";

/** Characters of one cell shown at first: a 6 kB description must not make its row a page tall. */
const CELL_PREVIEW_CHARS = 400;
/** A tooltip holds at most this much of a JSON cell. */
const TITLE_MAX_CHARS = 2_000;

function textOf(value: unknown): { text: string; tone: string } {
  if (value === null) return { text: "null", tone: "text-ink-faint" };
  if (typeof value === "string") return { text: value, tone: "text-ink" };
  if (typeof value === "number" || typeof value === "boolean") return { text: String(value), tone: "tabular text-accent" };
  return { text: JSON.stringify(value), tone: "font-mono text-[11px] text-ink-muted" };
}

/** One cell of a row image, as text, with the decoder's markers said in words. */
export function CellValue({ cell, jsonb = false }: { cell: CellState; jsonb?: boolean }) {
  const [all, setAll] = useState(false);
  switch (cell.kind) {
    case "absent":
      return <span className="text-ink-faint">—</span>;
    case "unavailable":
      return (
        <span className="text-ink-muted italic" title="PostgreSQL does not write an unchanged TOASTed value to the WAL, so Debezium sends a placeholder">
          unchanged, not sent (TOAST)
        </span>
      );
    case "omitted":
      return (
        <span className="text-pending" title="The record is larger than the preview: long cells are left out of it">
          {cell.reason === "too-deep" ? "nested too deep to show" : `not in the preview (${cell.textLength === null ? "long" : `${formatCount(cell.textLength)} characters`}): load the full message`}
        </span>
      );
    case "value": {
      const { text, tone } = textOf(cell.value);
      if (cell.value !== null && typeof cell.value === "object") {
        // A JSON value in a row is a one-line glance; it is shown whole (pretty) in its own section.
        return (
          <span className={`block truncate ${tone}`} title={text.length > TITLE_MAX_CHARS ? `${text.slice(0, TITLE_MAX_CHARS)}…` : text}>
            {text.slice(0, CELL_PREVIEW_CHARS)}
            {jsonb ? <span className="ml-1 font-sans text-[10px] text-ink-faint">(JSON, in full above)</span> : null}
          </span>
        );
      }
      const cut = !all && text.length > CELL_PREVIEW_CHARS;
      return (
        <span className={`break-words whitespace-pre-wrap ${tone}`}>
          {cut ? text.slice(0, CELL_PREVIEW_CHARS) : text}
          {cut ? (
            <button type="button" onClick={() => setAll(true)} className="ml-1 font-sans text-[11px] text-accent hover:underline">
              …{formatCount(text.length - CELL_PREVIEW_CHARS)} more
            </button>
          ) : null}
        </span>
      );
    }
  }
}
