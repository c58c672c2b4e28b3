"use client";

import { CHANGE_OP_LABELS } from "@/lib/debezium/types";
import type { TailRecordSummary } from "@/lib/contracts/tail";
import { formatClockTime } from "@/lib/format/clock";
import { formatBytes, formatOffset, formatRate } from "@/lib/format/numbers";
import { useMetricsSnapshot } from "@/components/metrics/live-metrics";
import { useLiveTail } from "@/components/tail/use-live-tail";

/** Rows shown: the newest events at a glance; the Messages page is where records are read. */
export const LATEST_EVENTS_SHOWN = 10;

const CELL = "px-3 py-1 whitespace-nowrap";

function opLabel(record: TailRecordSummary): string {
  if (record.kind === "change") return record.op && record.op in CHANGE_OP_LABELS ? CHANGE_OP_LABELS[record.op as keyof typeof CHANGE_OP_LABELS] : (record.op ?? "?");
  if (record.kind === "tombstone") return "tombstone";
  return `not Debezium (${record.kind})`;
}

/**
 * The newest records of the outbox topic as the server's tail reads them: a sample of at most a
 * few batches a second, so a busy topic is shown as a stream, not a flood; the topic's exact rate
 * is beside it.
 */
export function LatestEvents() {
  const { records, batches } = useLiveTail(LATEST_EVENTS_SHOWN);
  const rate = useMetricsSnapshot()?.topic.messagesPerSec;
  return (
    <section aria-labelledby="latest-heading" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="latest-heading" className="text-sm font-medium text-ink">
          Latest events
        </h2>
        <p className="text-[11px] text-ink-faint">
          newest first, sampled to a few per second · topic at {formatRate(rate)}
        </p>
      </div>
      <div className="overflow-x-auto rounded border border-line bg-surface">
        <table className="w-full text-xs" data-testid="latest-events">
          <thead>
            <tr className="border-b border-line text-left text-[11px] text-ink-muted">
              <th className={`${CELL} font-normal`}>Kafka time (UTC)</th>
              <th className={`${CELL} font-normal`}>Partition · offset</th>
              <th className={`${CELL} font-normal`}>Op</th>
              <th className={`${CELL} font-normal`}>Event type</th>
              <th className={`${CELL} font-normal`}>Aggregate</th>
              <th className={`${CELL} font-normal`}>Status</th>
              <th className={`${CELL} text-right font-normal`}>Size</th>
            </tr>
          </thead>
          <tbody>
            {records.length === 0 ? (
              <tr>
                <td colSpan={7} className={`${CELL} py-3 text-ink-faint`}>
                  {batches === 0 ? "waiting for the next record on the topic…" : "no records"}
                </td>
              </tr>
            ) : (
              records.map((record) => (
                <tr
                  key={`${record.topic}/${record.partition}/${record.offset}`}
                  data-testid="tail-row"
                  data-event-id={record.eventId ?? ""}
                  data-partition={record.partition}
                  data-offset={record.offset}
                  data-timestamp={record.timestamp}
                  data-received-at={record.receivedAt}
                  className="border-b border-line last:border-0"
                >
                  <td className={`${CELL} tabular text-ink-muted`}>{formatClockTime(record.timestamp)}</td>
                  <td className={`${CELL} tabular`}>
                    {record.partition} · {formatOffset(record.offset)}
                  </td>
                  <td className={CELL}>
                    <span className={`rounded-sm border px-1 py-px ${record.kind === "change" ? "border-line-strong text-ink" : "border-pending text-pending"}`}>{opLabel(record)}</span>
                  </td>
                  <td className={`${CELL} max-w-56 truncate font-mono`} title={record.eventType ?? undefined}>
                    {record.eventType ?? "—"}
                  </td>
                  <td className={`${CELL} max-w-64 truncate font-mono text-ink-muted`} title={record.aggregateId ?? undefined}>
                    {record.aggregateType ? `${record.aggregateType} ${record.aggregateId ?? ""}` : "—"}
                  </td>
                  <td className={CELL}>{record.status ?? "—"}</td>
                  <td className={`${CELL} tabular text-right text-ink-muted`}>{formatBytes(record.sizeBytes)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
