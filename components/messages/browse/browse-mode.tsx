"use client";

import { useMemo, useState } from "react";
import { EXPORT_MAX_RECORDS, type MessageView } from "@/lib/contracts/messages";
import { formatBytes, formatCount, formatOffset } from "@/lib/format/numbers";
import { ALERT_CLASS, BUTTON_CLASS, INPUT_CLASS } from "@/components/forms/field-styles";
import { browseExportRange } from "../export/export-links";
import { exportedMessage } from "../export/export-records";
import { ExportSelected } from "../export/export-selected";
import { ServerExportLinks } from "../export/server-export-links";
import { formatListTime, listTimeTitle } from "../list/record-time";
import { COMPACT_LIST_MIN_WIDTH, SUMMARY_LIST_MIN_WIDTH, visibleColumns } from "../list/summary-columns";
import { useRowChecks } from "../list/use-row-checks";
import { VirtualList, type ListColumn } from "../list/virtual-list";
import { messageRowFields, type MessageRowFields } from "../message-summary";
import { OpBadge } from "../op-badge";
import { useTopics } from "../topics-query";
import { browseKey, type BrowseView, type MessageRef } from "../url-state";
import { BrowseForm } from "./browse-form";
import { useBrowsePage } from "./browse-page-query";

interface BrowseRow {
  key: string;
  view: MessageView;
  fields: MessageRowFields;
}

const MISSING = <span className="text-ink-faint">—</span>;

const BROWSE_COLUMNS: readonly ListColumn<BrowseRow>[] = [
  { id: "partition", header: "Part.", width: "3.5rem", align: "right", cell: (row) => row.view.decoded.partition },
  { id: "offset", header: "Offset", width: "6.5rem", align: "right", cell: (row) => formatOffset(row.view.decoded.offset) },
  { id: "time", header: "Kafka time (UTC)", width: "7.5rem", cell: (row) => formatListTime(row.view.decoded.timestamp), title: (row) => listTimeTitle(row.view.decoded.timestamp), className: "tabular text-ink-muted" },
  { id: "op", header: "Op", width: "6.5rem", cell: (row) => <OpBadge op={row.fields.op} kind={row.fields.kind} /> },
  { id: "eventType", header: "Event type", width: "minmax(9rem,1.2fr)", cell: (row) => row.fields.eventType ?? MISSING, title: (row) => row.fields.eventType ?? undefined, className: "font-mono text-[11px]" },
  {
    id: "aggregate",
    header: "Aggregate",
    width: "minmax(10rem,1.4fr)",
    cell: (row) =>
      row.fields.aggregateType || row.fields.aggregateId ? (
        <>
          <span className="text-ink-muted">{row.fields.aggregateType}</span> {row.fields.aggregateId}
        </>
      ) : (
        MISSING
      ),
    title: (row) => `${row.fields.aggregateType ?? ""} ${row.fields.aggregateId ?? ""}`.trim() || undefined,
    className: "font-mono text-[11px]",
  },
  { id: "status", header: "Status", width: "5.5rem", cell: (row) => row.fields.status ?? MISSING, className: "text-ink-muted" },
  { id: "key", header: "Key", width: "minmax(8rem,1fr)", cell: (row) => row.fields.key ?? MISSING, title: (row) => row.fields.key ?? undefined, className: "font-mono text-[11px] text-ink-muted" },
  {
    id: "size",
    header: "Size",
    width: "5rem",
    align: "right",
    cell: (row) => (
      <>
        {row.view.decoded.problems.length > 0 ? (
          <span className="mr-1 text-pending" title={row.view.decoded.problems.map((problem) => problem.detail).join("\n")}>
            ⚠
          </span>
        ) : null}
        {formatBytes(row.view.decoded.sizeBytes)}
      </>
    ),
    className: "text-ink-muted",
  },
];

function rowKeyOf(row: BrowseRow): string {
  return row.key;
}

/** Export sizes offered for a browse range: this page, or more from its start. */
const EXPORT_LIMITS = [1_000, 10_000, EXPORT_MAX_RECORDS] as const;

/**
 * Browse mode: a page of a topic from a chosen start, oldest first, with Older / Newer through
 * the page's cursors, and the range's export.
 */
export function BrowseMode(props: { view: BrowseView; defaultTopic: string | null; openKey: string | null; onOpen: (ref: MessageRef) => void; onNavigate: (view: Omit<BrowseView, "start">) => void; compact: boolean }) {
  const { view, onNavigate } = props;
  const topics = useTopics();
  const defaultTopic = props.defaultTopic ?? topics.data?.topics.find((info) => info.outbox)?.topic ?? null;
  const query = useBrowsePage(view);
  const page = query.data;
  const pageKey = browseKey(view);
  const [exportLimit, setExportLimit] = useState<number | "page">("page");

  const rows = useMemo<BrowseRow[] | null>(
    () => page?.messages.map((message) => ({ key: `${message.decoded.topic}/${message.decoded.partition}/${message.decoded.offset}`, view: message, fields: messageRowFields(message) })) ?? null,
    [page],
  );
  const { checks, checked } = useRowChecks(pageKey, rows, rowKeyOf);
  const fetching = query.isFetching;
  const exportRange = page ? browseExportRange(view, page, exportLimit === "page" ? Math.max(1, page.messages.length) : exportLimit) : null;

  return (
    <section aria-label="Browse" className="space-y-2">
      <BrowseForm key={pageKey} view={view} topics={topics.data?.topics} topicsError={topics.isError ? topics.error.message : null} defaultTopic={defaultTopic} onGo={onNavigate} />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <nav aria-label="Pages" className="flex items-center gap-1.5">
          <button
            type="button"
            data-testid="browse-older"
            disabled={!page?.older || query.isPlaceholderData}
            onClick={() => page?.older && onNavigate({ ...view, from: page.older.from, dir: page.older.dir })}
            className={BUTTON_CLASS}
          >
            ← Older
          </button>
          <button
            type="button"
            data-testid="browse-newer"
            disabled={!page?.newer || query.isPlaceholderData}
            onClick={() => page?.newer && onNavigate({ ...view, from: page.newer.from, dir: page.newer.dir })}
            className={BUTTON_CLASS}
          >
            Newer →
          </button>
          <button type="button" data-testid="browse-refresh" onClick={() => void query.refetch()} disabled={fetching} className={BUTTON_CLASS} title="Read this range again">
            {fetching ? "Reading…" : "Refresh"}
          </button>
        </nav>
        {page ? (
          <p data-testid="browse-summary" data-count={page.messages.length} data-topic={page.topic} className="tabular text-[11px] text-ink-muted">
            <span className="text-ink">{formatCount(page.messages.length)}</span> message{page.messages.length === 1 ? "" : "s"}, oldest first · {formatCount(page.read)} read ·{" "}
            {page.partition === "all" ? "all partitions, merged by time" : `partition ${page.partition}`}
            {!page.newer ? " · at the end of the log" : ""}
            {!page.older ? " · at the start of the log" : ""}
          </p>
        ) : null}
        <span className="ml-auto flex flex-wrap items-center gap-1.5">
          <label className="flex items-center gap-1 text-[11px] text-ink-muted">
            Export
            <select
              data-testid="export-limit"
              value={String(exportLimit)}
              onChange={(event) => setExportLimit(event.target.value === "page" ? "page" : Number(event.target.value))}
              className={`${INPUT_CLASS} w-auto py-0.5`}
            >
              <option value="page">this page ({formatCount(page?.messages.length ?? 0)})</option>
              {EXPORT_LIMITS.map((limit) => (
                <option key={limit} value={limit}>
                  {formatCount(limit)} from its start
                </option>
              ))}
            </select>
          </label>
          <ServerExportLinks range={exportRange} note="from this page's first message on" />
          <ExportSelected
            count={checked.length}
            fileStem={page?.topic ?? "messages"}
            load={async () => ({ messages: checked.map((row) => exportedMessage(row.view)), failures: [] })}
          />
        </span>
      </div>
      {query.isError ? (
        <p role="alert" data-testid="browse-error" className={ALERT_CLASS}>
          {query.error.message}
        </p>
      ) : null}
      {query.isError && !page ? null : (
        <VirtualList
          label="Messages, oldest first"
          testId="browse-list"
          rows={rows}
          rowKey={rowKeyOf}
          rowTestId="browse-row"
          rowAttributes={(row) => ({
            "data-partition": row.view.decoded.partition,
            "data-offset": row.view.decoded.offset,
            "data-timestamp": row.view.decoded.timestamp,
            "data-op": row.fields.op,
            "data-event-type": row.fields.eventType ?? "",
            "data-event-id": row.view.eventId ?? "",
          })}
          columns={visibleColumns(BROWSE_COLUMNS, props.compact)}
          openKey={props.openKey}
          onOpen={(row) => props.onOpen({ topic: row.view.decoded.topic, partition: row.view.decoded.partition, offset: row.view.decoded.offset })}
          checks={checks}
          empty={view.start.kind === "end" || view.dir === "forward" ? "No message in this range: the partition is empty here." : "No message in this range."}
          minWidth={props.compact ? COMPACT_LIST_MIN_WIDTH : SUMMARY_LIST_MIN_WIDTH}
          height="max(24rem, calc(100vh - 21rem))"
          startAt={query.isPlaceholderData || !page ? undefined : { positionKey: pageKey, end: view.dir === "backward" || (view.dir === undefined && view.start.kind === "end") ? "bottom" : "top" }}
        />
      )}
    </section>
  );
}
