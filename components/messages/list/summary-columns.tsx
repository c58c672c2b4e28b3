import type { TailRecordSummary } from "@/lib/contracts/tail";
import { formatBytes, formatOffset } from "@/lib/format/numbers";
import { OpBadge } from "../op-badge";
import { summaryOp } from "../live/tail-filter-match";
import type { ListColumn } from "./virtual-list";
import { formatListTime, listTimeTitle } from "./record-time";

const MISSING = <span className="text-ink-faint">—</span>;

/** The columns of a list of record summaries (the live tail, search results). */
export const SUMMARY_COLUMNS: readonly ListColumn<TailRecordSummary>[] = [
  { id: "time", header: "Kafka time (UTC)", width: "7.5rem", cell: (row) => formatListTime(row.timestamp), title: (row) => listTimeTitle(row.timestamp), className: "tabular text-ink-muted" },
  { id: "partition", header: "Part.", width: "3.5rem", align: "right", cell: (row) => row.partition },
  { id: "offset", header: "Offset", width: "6.5rem", align: "right", cell: (row) => formatOffset(row.offset) },
  { id: "op", header: "Op", width: "6.5rem", cell: (row) => <OpBadge op={summaryOp(row)} kind={row.kind} /> },
  {
    id: "eventType",
    header: "Event type",
    width: "minmax(9rem,1.2fr)",
    cell: (row) => row.eventType ?? MISSING,
    title: (row) => row.eventType ?? undefined,
    className: "font-mono text-[11px]",
  },
  {
    id: "aggregate",
    header: "Aggregate",
    width: "minmax(10rem,1.4fr)",
    cell: (row) =>
      row.aggregateType || row.aggregateId ? (
        <>
          <span className="text-ink-muted">{row.aggregateType}</span> {row.aggregateId}
        </>
      ) : (
        MISSING
      ),
    title: (row) => (row.aggregateType || row.aggregateId ? `${row.aggregateType ?? ""} ${row.aggregateId ?? ""}`.trim() : undefined),
    className: "font-mono text-[11px]",
  },
  { id: "status", header: "Status", width: "5.5rem", cell: (row) => row.status ?? MISSING, className: "text-ink-muted" },
  { id: "key", header: "Key", width: "minmax(8rem,1fr)", cell: (row) => row.key ?? MISSING, title: (row) => row.key ?? undefined, className: "font-mono text-[11px] text-ink-muted" },
  {
    id: "size",
    header: "Size",
    width: "5rem",
    align: "right",
    cell: (row) => (
      <>
        {row.problems > 0 ? (
          <span className="mr-1 text-pending" title={`${row.problems} decode problem${row.problems === 1 ? "" : "s"}`}>
            ⚠
          </span>
        ) : null}
        {formatBytes(row.sizeBytes)}
      </>
    ),
    className: "text-ink-muted",
  },
];

/** data-* of a summary row, for tests and for the row's identity in the page. */
export function summaryRowAttributes(row: TailRecordSummary) {
  return {
    "data-topic": row.topic,
    "data-partition": row.partition,
    "data-offset": row.offset,
    "data-timestamp": row.timestamp,
    "data-op": summaryOp(row),
    "data-event-type": row.eventType ?? "",
    "data-event-id": row.eventId ?? "",
  };
}

export const SUMMARY_LIST_MIN_WIDTH = "62rem";

/** Columns left out beside the open inspector, so the list keeps its width without scrolling sideways. */
export const COMPACT_HIDDEN_COLUMNS: ReadonlySet<string> = new Set(["status", "key", "size"]);
export const COMPACT_LIST_MIN_WIDTH = "44rem";

export function visibleColumns<T>(columns: readonly ListColumn<T>[], compact: boolean): readonly ListColumn<T>[] {
  return compact ? columns.filter((column) => !COMPACT_HIDDEN_COLUMNS.has(column.id)) : columns;
}
