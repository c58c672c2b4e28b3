"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { FULL_MESSAGE_MAX_BYTES, type MessageView } from "@/lib/contracts/messages";
import type { DecodedHeader, DecodedRecord } from "@/lib/debezium";
import { formatBytes, formatOffset } from "@/lib/format/numbers";
import { ApiError } from "@/components/api/json-request";
import { ALERT_CLASS, BUTTON_CLASS } from "@/components/forms/field-styles";
import { useCopyText } from "@/components/forms/use-copy-text";
import { Skeleton } from "@/components/overview/stat";
import { JSON_TYPE, downloadText } from "../export/download";
import { exportFileName, exportedMessage, keyValue } from "../export/export-records";
import { messageRowFields } from "../message-summary";
import { OpBadge } from "../op-badge";
import { messagesHref, type MessageRef } from "../url-state";
import { ChangeView } from "./change-view";
import { JsonTree } from "./json-tree";
import { LongText } from "./long-text";
import { useMessage } from "./message-query";
import { RawHex, RawJsonTree, RawText } from "./raw-value";
import { ReproduceForm } from "./reproduce-form";
import { EpochTime } from "./time-facts";
import { VALUE_FORM_LABELS, defaultValueForm, valueFormsOf, type ValueForm } from "./value-forms";

/** Records a "Browse around it" link shows before the message, so it opens in context. */
const CONTEXT_BEFORE = 10;

/** The page of one message: /messages/<topic>/<partition>/<offset>. */
export function messagePageHref(ref: MessageRef): string {
  return `/messages/${encodeURIComponent(ref.topic)}/${ref.partition}/${ref.offset}`;
}

/** The browse page around a message, with it open. */
export function browseAroundHref(ref: MessageRef): string {
  const from = BigInt(ref.offset) > BigInt(CONTEXT_BEFORE) ? String(BigInt(ref.offset) - BigInt(CONTEXT_BEFORE)) : "beginning";
  return messagesHref({ mode: "browse", browse: { topic: ref.topic, partition: ref.partition, from, limit: 50 }, message: ref });
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] gap-2 px-2 py-1">
      <dt className="text-[11px] text-ink-muted">{label}</dt>
      <dd data-testid={testId} className="min-w-0 text-xs break-words text-ink">
        {children}
      </dd>
    </div>
  );
}

function KeyFact({ record }: { record: DecodedRecord }) {
  const { key } = record;
  if (key.kind === "null") return <span className="text-ink-faint">no key</span>;
  const value = keyValue(key);
  const text = typeof value === "string" && key.kind !== "json" ? value : JSON.stringify(value);
  return (
    <span data-testid="inspector-key" className="font-mono text-[11px] break-all">
      {text}
      <span className="ml-1.5 font-sans text-[10px] text-ink-faint">
        {key.kind}
        {"truncated" in key && key.truncated ? ", cut short" : ""} · {formatBytes(key.sizeBytes)}
      </span>
    </span>
  );
}

function headerText(header: DecodedHeader): ReactNode {
  switch (header.kind) {
    case "null":
      return <span className="text-ink-faint">null</span>;
    case "text":
      return header.text;
    case "binary":
      return <span className="text-ink-muted">0x{header.hex}</span>;
  }
}

function Headers({ headers }: { headers: readonly DecodedHeader[] }) {
  if (headers.length === 0) return <span className="text-ink-faint">none</span>;
  return (
    <dl data-testid="inspector-headers" className="space-y-0.5">
      {headers.map((header, index) => (
        <div key={`${header.key}#${index}`} className="flex gap-2">
          <dt className="shrink-0 font-mono text-[11px] text-ink-muted">{header.key}</dt>
          <dd className="min-w-0 font-mono text-[11px] break-all">{headerText(header)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The decoded form of records that are not change events. */
function DecodedOther({ record }: { record: DecodedRecord }) {
  switch (record.kind) {
    case "tombstone":
      return (
        <p data-testid="inspector-tombstone" className="text-xs text-ink-muted">
          A tombstone: a record with a key and no value. Debezium writes one after each delete so that log compaction can remove every record of the key; it carries no row.
          {record.eventId ? (
            <>
              {" "}
              The deleted row&apos;s event id, from the key: <code className="font-mono text-ink">{record.eventId}</code>.
            </>
          ) : null}
        </p>
      );
    case "json":
      return record.value === undefined ? <p className="text-xs text-ink-muted">Too large to show whole: see Text, or load the full message.</p> : <JsonTree value={record.value} testId="inspector-tree" />;
    case "text":
      return <LongText text={record.text} testId="inspector-text" />;
    case "binary":
      return <LongText text={record.hex} testId="inspector-text" />;
    case "change":
      return null;
  }
}

function InspectorBody({ view, now, full, onLoadFull, loadingFull, fullError }: { view: MessageView; now: number; full: boolean; onLoadFull: () => void; loadingFull: boolean; fullError: string | null }) {
  const record = view.decoded;
  const forms = valueFormsOf(record.kind, view.raw.value);
  const [chosen, setChosen] = useState<ValueForm | null>(null);
  const form = chosen !== null && forms.includes(chosen) ? chosen : defaultValueForm(record.kind);
  const { copied, copy } = useCopyText();
  const ref = { topic: record.topic, partition: record.partition, offset: record.offset };

  const download = () => downloadText(`${JSON.stringify(exportedMessage(view), null, 2)}\n`, exportFileName([record.topic, record.partition, record.offset], "json"), JSON_TYPE);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-1.5">
        <button type="button" data-testid="inspector-copy" onClick={() => void copy(JSON.stringify(exportedMessage(view), null, 2))} className={BUTTON_CLASS}>
          Copy as JSON
        </button>
        <button type="button" data-testid="inspector-download" onClick={download} className={BUTTON_CLASS}>
          Download
        </button>
        {record.truncated && !full ? (
          <button type="button" data-testid="inspector-load-full" onClick={onLoadFull} disabled={loadingFull} className={BUTTON_CLASS} title={`Reads the whole value, up to ${formatBytes(FULL_MESSAGE_MAX_BYTES)}`}>
            {loadingFull ? "Loading…" : `Load full message (${formatBytes(record.valueSizeBytes)})`}
          </button>
        ) : null}
        {view.eventId ? (
          <Link data-testid="inspector-event-link" href={`/events/${encodeURIComponent(view.eventId)}`} className={`${BUTTON_CLASS} text-accent`}>
            Trace event →
          </Link>
        ) : null}
        {copied ? (
          <span role="status" className="text-[11px] text-ink-muted">
            {copied}
          </span>
        ) : null}
        <ReproduceForm message={ref} />
      </div>
      {fullError ? <p className={ALERT_CLASS}>Loading the full message failed: {fullError}</p> : null}
      {record.truncated ? (
        <p data-testid="inspector-truncated" className="rounded border border-pending/30 bg-pending/5 px-2 py-1 text-[11px] text-ink-muted">
          {full
            ? `Still a preview: the value (${formatBytes(record.valueSizeBytes)}) is larger than a message is read whole (${formatBytes(FULL_MESSAGE_MAX_BYTES)}).`
            : `A preview: the value is ${formatBytes(record.valueSizeBytes)}; long cells are left out until the full message is loaded.`}
        </p>
      ) : null}
      {view.masked ? (
        <p data-testid="inspector-masked" className="rounded border border-line-strong px-2 py-1 text-[11px] text-ink-muted">
          Masked for your role: configured fields show <code className="font-mono text-ink">[masked]</code> in every form below, the raw value and the exports included.
        </p>
      ) : null}

      <dl className="divide-y divide-line rounded border border-line bg-surface">
        <Fact label="Position">
          <span className="tabular">
            <code className="font-mono text-[11px]">{record.topic}</code> · partition <span data-testid="inspector-partition">{record.partition}</span> · offset{" "}
            <span data-testid="inspector-offset">{formatOffset(record.offset)}</span>
          </span>
        </Fact>
        <Fact label="Kafka time">
          <EpochTime ms={record.timestamp} now={now} testId="inspector-timestamp" />
        </Fact>
        <Fact label="Size">
          <span className="tabular">
            {formatBytes(record.sizeBytes)} <span className="text-ink-muted">(value {formatBytes(record.valueSizeBytes)})</span>
          </span>
        </Fact>
        <Fact label="Key">
          <KeyFact record={record} />
        </Fact>
        <Fact label="Headers">
          <Headers headers={record.headers} />
        </Fact>
        {view.eventId ? (
          <Fact label="Event id">
            <code className="font-mono text-[11px]">{view.eventId}</code>
          </Fact>
        ) : null}
      </dl>

      {record.problems.length > 0 ? (
        <ul data-testid="inspector-problems" className="list-disc space-y-0.5 rounded border border-pending/40 bg-pending/5 py-1.5 pr-2 pl-6 text-[11px] text-pending">
          {record.problems.map((problem, index) => (
            <li key={index} data-code={problem.code}>
              <span className="font-mono">{problem.code}</span>: <span className="text-ink-muted">{problem.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}

      {forms.length > 1 ? (
        <div role="tablist" aria-label="Show the value as" className="flex gap-1 border-b border-line">
          {forms.map((option) => (
            <button
              key={option}
              type="button"
              role="tab"
              aria-selected={option === form}
              data-testid={`inspector-form-${option}`}
              onClick={() => setChosen(option)}
              className={`-mb-px border-b-2 px-2 py-1 text-xs ${option === form ? "border-accent text-ink" : "border-transparent text-ink-muted hover:text-ink"}`}
            >
              {VALUE_FORM_LABELS[option]}
            </button>
          ))}
        </div>
      ) : null}
      <div data-testid="inspector-value" data-form={form}>
        {form === "decoded" ? record.kind === "change" ? <ChangeView record={record} now={now} /> : <DecodedOther record={record} /> : null}
        {form === "tree" ? <RawJsonTree raw={view.raw.value} /> : null}
        {form === "text" ? <RawText raw={view.raw.value} /> : null}
        {form === "hex" ? <RawHex raw={view.raw.value} /> : null}
        {form !== "decoded" && record.kind !== "change" && record.kind !== "tombstone" && forms.length === 0 ? <DecodedOther record={record} /> : null}
      </div>
      <p className="text-[11px] text-ink-faint">
        <Link href={browseAroundHref(ref)} data-testid="inspector-browse-around" className="text-accent hover:underline">
          Browse around it
        </Link>{" "}
        · the records just before and after it in partition {record.partition}
      </p>
    </div>
  );
}

function InspectorError({ position, error }: { position: MessageRef; error: Error }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <p role="alert" data-testid="inspector-not-found" className="text-xs text-ink-muted">
        No message at offset {formatOffset(position.offset)} of partition {position.partition} of <code className="font-mono text-ink">{position.topic}</code>: {error.message}. It may
        have been removed by retention or compaction, or not be written yet.
      </p>
    );
  }
  return (
    <p role="alert" data-testid="inspector-error" className={ALERT_CLASS}>
      {error.message}
    </p>
  );
}

/**
 * One message read in full: a side panel of the Messages page, or a page of its own. Everything is
 * rendered as text, payloads included (they may hold markup).
 */
export function MessageInspector({ position, variant, onClose }: { position: MessageRef; variant: "panel" | "page"; onClose?: () => void }) {
  const [full, setFull] = useState(false);
  const preview = useMessage(position, false);
  const complete = useMessage(position, true, full);
  const view = (full ? complete.data : undefined) ?? preview.data;
  const now = (full && complete.data ? complete.dataUpdatedAt : preview.dataUpdatedAt) || 0;
  const fields = view ? messageRowFields(view) : null;

  return (
    <article
      data-testid="inspector"
      data-kind={view?.decoded.kind ?? ""}
      data-op={fields?.op ?? ""}
      data-partition={position.partition}
      data-offset={position.offset}
      aria-label={`Message at partition ${position.partition}, offset ${position.offset}`}
      className={variant === "panel" ? "space-y-3 rounded border border-line-strong bg-surface-raised/40 p-3" : "max-w-5xl space-y-3"}
    >
      <header className="flex items-start gap-2">
        {fields ? <OpBadge op={fields.op} kind={fields.kind} long /> : null}
        <h2 className="min-w-0 flex-1 text-sm font-medium text-ink">
          <span className="tabular">
            {position.partition}:{formatOffset(position.offset)}
          </span>
          {fields?.eventType ? <code className="ml-2 font-mono text-xs text-ink-muted">{fields.eventType}</code> : null}
          {fields?.aggregateType || fields?.aggregateId ? (
            <span className="block truncate font-mono text-[11px] font-normal text-ink-faint" title={`${fields.aggregateType ?? ""} ${fields.aggregateId ?? ""}`}>
              {fields.aggregateType} {fields.aggregateId}
            </span>
          ) : null}
        </h2>
        {variant === "panel" ? (
          <span className="flex shrink-0 items-center gap-1.5">
            <Link href={messagePageHref(position)} data-testid="inspector-open-page" className={BUTTON_CLASS} title="This message on a page of its own (a link to share)">
              Open page ↗
            </Link>
            {onClose ? (
              <button type="button" data-testid="inspector-close" onClick={onClose} className={BUTTON_CLASS} aria-label="Close the message" title="Close (Esc)">
                ✕
              </button>
            ) : null}
          </span>
        ) : null}
      </header>
      {view ? (
        <InspectorBody
          key={`${position.topic}/${position.partition}/${position.offset}`}
          view={view}
          now={now}
          full={full && complete.data !== undefined}
          onLoadFull={() => setFull(true)}
          loadingFull={full && complete.isFetching}
          fullError={full && complete.isError ? complete.error.message : null}
        />
      ) : preview.isError ? (
        <InspectorError position={position} error={preview.error} />
      ) : (
        <div className="space-y-2" aria-busy>
          <Skeleton className="h-4 w-64" />
          <Skeleton className="h-24 w-full" />
          <Skeleton className="h-48 w-full" />
        </div>
      )}
    </article>
  );
}
