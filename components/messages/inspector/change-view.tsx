"use client";

import { useMemo, useState, type ReactNode } from "react";
import { formatLsn, type ChangeRecord, type Row, type RowImageNotes, type SourceInfo } from "@/lib/debezium";
import { formatLatency } from "@/lib/format/numbers";
import { CellValue } from "./cell-value";
import { LongText } from "./long-text";
import { cellState, changedColumns, diffRows, type DiffField } from "./row-diff";
import { EpochTime } from "./time-facts";

const CHANGE_TEXT: Readonly<Record<ChangeRecord["op"], string>> = {
  c: "A row was inserted.",
  u: "A row was updated.",
  d: "A row was deleted; a tombstone with the same key follows it so log compaction can drop the key.",
  r: "A row read by a snapshot (not a change streamed from the WAL).",
  t: "The table was truncated: every row removed, no row image.",
  unknown: "An op this dashboard does not know.",
};

/** jsonb columns the decoder parsed in an image (by its notes), else a `payload` column holding an object. */
function jsonColumns(row: Row | null, notes: RowImageNotes | null): string[] {
  if (!row) return [];
  const noted = notes?.jsonbColumns.filter((note) => note.status === "parsed").map((note) => note.column) ?? [];
  if (noted.length > 0) return noted;
  const payload = row.payload;
  return payload !== null && typeof payload === "object" && !notes?.omittedColumns.includes("payload") && !notes?.unavailableColumns.includes("payload") ? ["payload"] : [];
}

function Section({ title, note, children, testId }: { title: string; note?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section data-testid={testId} className="space-y-1">
      <h3 className="flex flex-wrap items-baseline gap-x-2 text-xs font-medium text-ink">
        {title}
        {note ? <span className="text-[11px] font-normal text-ink-muted">{note}</span> : null}
      </h3>
      {children}
    </section>
  );
}

/** A row image as a two-column table: column, value. */
function RowTable({ row, notes, image }: { row: Row; notes: RowImageNotes | null; image: "after" | "before" }) {
  const json = new Set(jsonColumns(row, notes));
  return (
    <dl data-testid={`inspector-${image}`} className="divide-y divide-line rounded border border-line bg-surface">
      {Object.keys(row).map((column) => (
        <div key={column} data-testid="inspector-row-field" data-field={column} className="grid grid-cols-[minmax(7rem,11rem)_minmax(0,1fr)] gap-2 px-2 py-1">
          <dt className="truncate font-mono text-[11px] text-ink-muted" title={column}>
            {column}
          </dt>
          <dd className="min-w-0 text-xs">
            <CellValue cell={cellState(row, notes, column)} jsonb={json.has(column)} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

const CHANGE_MARK: Readonly<Record<DiffField["change"], string>> = {
  changed: "changed",
  added: "added",
  removed: "removed",
  unchanged: "",
  unknown: "not comparable",
};

/** An update's before → after, column by column, the changed ones marked. */
function DiffTable({ fields }: { fields: readonly DiffField[] }) {
  const [changedOnly, setChangedOnly] = useState(false);
  const shown = changedOnly ? fields.filter((field) => field.change !== "unchanged") : fields;
  return (
    <div className="space-y-1">
      <label className="flex items-center gap-1.5 text-[11px] text-ink-muted">
        <input type="checkbox" checked={changedOnly} onChange={(event) => setChangedOnly(event.target.checked)} className="accent-accent" />
        changed columns only
      </label>
      <div data-testid="inspector-diff" className="overflow-x-auto rounded border border-line bg-surface">
        <div className="grid min-w-[32rem] grid-cols-[minmax(7rem,10rem)_minmax(0,1fr)_minmax(0,1fr)] border-b border-line px-2 py-1 text-[11px] text-ink-muted">
          <span>Column</span>
          <span>Before</span>
          <span>After</span>
        </div>
        {shown.map((field) => {
          const changed = field.change === "changed" || field.change === "added" || field.change === "removed";
          return (
            <div
              key={field.column}
              data-testid="inspector-diff-field"
              data-field={field.column}
              data-changed={changed ? "true" : field.change === "unknown" ? "unknown" : "false"}
              className={`grid min-w-[32rem] grid-cols-[minmax(7rem,10rem)_minmax(0,1fr)_minmax(0,1fr)] gap-x-2 border-b border-line px-2 py-1 text-xs last:border-0 ${
                changed ? "bg-accent/10 shadow-[inset_2px_0_0_var(--color-accent)]" : ""
              }`}
            >
              <span className={`truncate font-mono text-[11px] ${changed ? "text-ink" : "text-ink-muted"}`} title={field.column}>
                {field.column}
                {CHANGE_MARK[field.change] ? <span className={`block font-sans text-[10px] ${changed ? "text-accent" : "text-ink-faint"}`}>{CHANGE_MARK[field.change]}</span> : null}
              </span>
              <span className={`min-w-0 ${changed ? "text-down/90 line-through decoration-down/40" : "opacity-70"}`}>
                <CellValue cell={field.before} />
              </span>
              <span className={`min-w-0 ${changed ? "" : "opacity-70"}`}>
                <CellValue cell={field.after} />
                {field.changedPaths.length > 0 ? (
                  <span className="mt-0.5 block font-mono text-[10px] text-accent" title="Where inside the value the two differ">
                    at {field.changedPaths.map((path) => path || "(the value)").join(", ")}
                  </span>
                ) : null}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** What the decoder noted about an image, in words. */
function ImageNotes({ notes, image }: { notes: RowImageNotes | null; image: string }) {
  if (!notes) return null;
  const lines: ReactNode[] = [];
  if (notes.unavailableColumns.length > 0) {
    lines.push(
      <li key="unavailable" data-testid="inspector-unavailable">
        <code className="font-mono text-ink">{notes.unavailableColumns.join(", ")}</code> {notes.unavailableColumns.length === 1 ? "was" : "were"} not sent in the {image} image:
        PostgreSQL does not write an unchanged TOASTed value (a large one, stored out of line) to the WAL, so Debezium sends the placeholder
        __debezium_unavailable_value instead. The value did not change in this update; the latest full value is in an earlier change of the row.
      </li>,
    );
  }
  if (notes.omittedColumns.length > 0) {
    lines.push(
      <li key="omitted" data-testid="inspector-omitted">
        <code className="font-mono text-ink">{notes.omittedColumns.join(", ")}</code>: too long to keep in the preview of this large record. Load the full message to see{" "}
        {notes.omittedColumns.length === 1 ? "it" : "them"}.
      </li>,
    );
  }
  for (const note of notes.jsonbColumns) {
    if (note.status === "invalid") lines.push(<li key={`invalid-${note.column}`}>{note.column}: a JSON column whose text is not JSON; shown as the text received.</li>);
    if (note.status === "too-deep") lines.push(<li key={`deep-${note.column}`}>{note.column}: JSON nested too deep to parse; shown as the text received.</li>);
  }
  if (lines.length === 0) return null;
  return <ul className="list-disc space-y-0.5 rounded border border-pending/30 bg-pending/5 py-1.5 pr-2 pl-6 text-[11px] text-ink-muted">{lines}</ul>;
}

function SourceField({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2 px-2 py-1">
      <dt className="text-[11px] text-ink-muted">{label}</dt>
      <dd className="min-w-0 text-xs break-words text-ink">{children}</dd>
    </div>
  );
}

/** Where the change came from: database, table, WAL position, transaction and commit time. */
function SourceBlock({ source, record, now }: { source: SourceInfo; record: ChangeRecord; now: number }) {
  const captureMs = source.tsMs !== undefined ? record.timestamp - source.tsMs : undefined;
  return (
    <dl data-testid="inspector-source" className="divide-y divide-line rounded border border-line bg-surface">
      <SourceField label="Table">
        <code className="font-mono">{[source.db, source.schema, source.table].filter(Boolean).join(".") || "—"}</code>
      </SourceField>
      <SourceField label="WAL position (LSN)">
        <code data-testid="inspector-lsn" className="font-mono">
          {source.lsn !== undefined ? formatLsn(source.lsn) : "—"}
        </code>
        {source.lsn !== undefined ? <span className="ml-2 text-[11px] text-ink-faint">{source.lsn}</span> : null}
      </SourceField>
      <SourceField label="Transaction id">
        <span className="tabular">{source.txId ?? "—"}</span>
        {record.transaction ? <span className="ml-2 text-[11px] text-ink-muted">({record.transaction.id}, #{record.transaction.totalOrder ?? "?"} in it)</span> : null}
      </SourceField>
      <SourceField label={source.isSnapshot ? "Read by snapshot" : "Committed"}>
        <EpochTime ms={source.tsMs} now={now} testId="inspector-commit-time" />
      </SourceField>
      <SourceField label="Capture delay">
        {captureMs !== undefined ? <span title="Kafka record time − commit time">{formatLatency(captureMs)}</span> : <span className="text-ink-faint">—</span>}
      </SourceField>
      <SourceField label="Snapshot">
        {source.isSnapshot ? <span className="text-pending">yes ({source.snapshot})</span> : <span className="text-ink-muted">no, streamed from the WAL</span>}
      </SourceField>
      <SourceField label="Debezium">
        <span className="text-ink-muted">
          {source.connector ?? "?"} {source.version ?? ""} · {source.name ?? "?"} · processed <EpochTime ms={record.tsMs} now={now} />
        </span>
      </SourceField>
      {source.sequence ? (
        <SourceField label="Sequence">
          <code className="font-mono text-[11px] text-ink-muted">{source.sequence}</code>
        </SourceField>
      ) : null}
    </dl>
  );
}

/** A Debezium change event read as what it says: the op, the row, what changed, the payload, where it came from. */
export function ChangeView({ record, now }: { record: ChangeRecord; now: number }) {
  const { before, after, beforeNotes, afterNotes } = record;
  const fields = useMemo(() => (record.op === "u" && before && after ? diffRows(before, beforeNotes, after, afterNotes) : null), [record, before, after, beforeNotes, afterNotes]);
  const changed = fields ? changedColumns(fields) : [];
  // The row as it is after the change; for a delete, as it was.
  const image = after ? { row: after, notes: afterNotes, name: "after" as const } : before ? { row: before, notes: beforeNotes, name: "before" as const } : null;
  const payloadColumns = image ? jsonColumns(image.row, image.notes) : [];

  return (
    <div className="space-y-3">
      <p data-testid="inspector-change-text" className="text-xs text-ink-muted">
        {CHANGE_TEXT[record.op]}
        {record.op === "unknown" ? ` (op "${record.rawOp}")` : ""}
        {fields ? (changed.length > 0 ? ` Changed: ${changed.join(", ")}.` : " No column changed.") : ""}
        {record.schemaWrapped ? " The value carried its schema (schemas.enable=true)." : ""}
      </p>
      {fields ? (
        <Section title="Before → after" note="columns this update changed are marked">
          <DiffTable fields={fields} />
        </Section>
      ) : null}
      {record.op === "u" && !before ? (
        <p data-testid="inspector-no-before" className="text-[11px] text-ink-muted">
          No before image: the table&apos;s REPLICA IDENTITY is not FULL, so PostgreSQL logs only the key of the old row. The diff needs{" "}
          <code className="font-mono">ALTER TABLE … REPLICA IDENTITY FULL</code>.
        </p>
      ) : null}
      {payloadColumns.map((column) => (
        <Section key={column} title={column} note={`JSON column, ${image?.name === "before" ? "as it was" : "as written"}`}>
          <LongText text={JSON.stringify(image!.row[column], null, 2)} testId={column === "payload" || payloadColumns.length === 1 ? "inspector-payload" : `inspector-json-${column}`} maxHeight="max-h-[24rem]" />
        </Section>
      ))}
      {image && !fields ? (
        <Section title={image.name === "after" ? "Row" : "Row as it was"} note={image.name === "after" ? "the after image" : "the before image"}>
          <RowTable row={image.row} notes={image.notes} image={image.name} />
        </Section>
      ) : null}
      <ImageNotes notes={afterNotes} image="after" />
      <ImageNotes notes={beforeNotes} image="before" />
      {record.source ? (
        <Section title="Source">
          <SourceBlock source={record.source} record={record} now={now} />
        </Section>
      ) : (
        <p className="text-[11px] text-ink-faint">No source block in this envelope.</p>
      )}
    </div>
  );
}
