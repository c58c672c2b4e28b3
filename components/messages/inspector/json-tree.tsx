"use client";

import { useState } from "react";
import { formatCount } from "@/lib/format/numbers";

/** Levels open at first: the envelope and its images, not every nested object of a payload. */
const OPEN_LEVELS = 2;
/** Children listed at first under one node: a 10,000-item array renders this many until asked. */
const CHILDREN_SHOWN = 200;

function kindOf(value: unknown): "object" | "array" | "scalar" {
  if (Array.isArray(value)) return "array";
  if (value !== null && typeof value === "object") return "object";
  return "scalar";
}

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="text-ink-faint">null</span>;
  if (typeof value === "string") return <span className="break-all whitespace-pre-wrap text-up/90">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className="tabular text-accent">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="text-pending">{String(value)}</span>;
  return <span className="text-ink-muted">{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const kind = kindOf(value);
  const [open, setOpen] = useState(depth < OPEN_LEVELS);
  const [shown, setShown] = useState(CHILDREN_SHOWN);
  const label = name === null ? null : <span className="text-ink-muted">{name}: </span>;
  if (kind === "scalar") {
    return (
      <div className="pl-4">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries: [string, unknown][] = kind === "array" ? (value as unknown[]).map((item, index) => [String(index), item]) : Object.entries(value as Record<string, unknown>);
  const brackets = kind === "array" ? ["[", "]"] : ["{", "}"];
  const size = `${formatCount(entries.length)} ${kind === "array" ? (entries.length === 1 ? "item" : "items") : entries.length === 1 ? "key" : "keys"}`;
  return (
    <div className={depth === 0 ? "" : "pl-4"}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="-ml-4 inline-flex items-baseline gap-1 text-left hover:text-ink">
        <span aria-hidden className="inline-block w-3 text-ink-faint">
          {open ? "▾" : "▸"}
        </span>
        {label}
        <span className="text-ink-faint">
          {brackets[0]}
          {open ? "" : ` ${size} ${brackets[1]}`}
        </span>
      </button>
      {open ? (
        <>
          {entries.slice(0, shown).map(([key, child]) => (
            <Node key={key} name={kind === "array" ? `[${key}]` : key} value={child} depth={depth + 1} />
          ))}
          {entries.length > shown ? (
            <div className="pl-4">
              <button type="button" onClick={() => setShown(shown + CHILDREN_SHOWN * 5)} className="text-accent hover:underline">
                show {formatCount(Math.min(entries.length - shown, CHILDREN_SHOWN * 5))} more of {formatCount(entries.length - shown)}
              </button>
            </div>
          ) : null}
          <div className="text-ink-faint">{brackets[1]}</div>
        </>
      ) : null}
    </div>
  );
}

/** A JSON value as a tree of collapsible nodes, every value rendered as text. */
export function JsonTree({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <div data-testid={testId} className="overflow-auto rounded border border-line bg-canvas py-2 pr-3 pl-5 font-mono text-[11px] leading-relaxed text-ink">
      <Node name={null} value={value} depth={0} />
    </div>
  );
}
