import type { ConsumerGroupStats } from "@/lib/contracts/metrics";
import { formatCount, formatLatency, formatOffset } from "@/lib/format/numbers";

// Shrinks a column to its content (w-px on a table cell), so the owner column gets the width left.
const FIT = "w-px py-1 whitespace-nowrap";

/** A group's position on each partition: committed and end offsets, lag in records and in time, owner. */
export function PartitionTable({ partitions }: { partitions: ConsumerGroupStats["partitions"] }) {
  const rows = [...partitions].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  // A group usually reads the one outbox topic; the column is only worth its width when it does not.
  const showTopic = new Set(rows.map((row) => row.topic)).size > 1;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-xs" data-testid="partition-table">
        <thead>
          <tr className="border-b border-line text-left text-[11px] text-ink-muted">
            {showTopic ? <th className={`${FIT} pr-4 font-normal`}>Topic</th> : null}
            <th className={`${FIT} pr-4 font-normal`}>Partition</th>
            <th className={`${FIT} pr-4 text-right font-normal`}>Committed</th>
            <th className={`${FIT} pr-4 text-right font-normal`}>End</th>
            <th className={`${FIT} pr-4 text-right font-normal`}>Lag</th>
            <th className={`${FIT} pr-4 text-right font-normal`}>Time lag</th>
            <th className="py-1 font-normal">Owner</th>
          </tr>
        </thead>
        <tbody className="tabular">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={showTopic ? 7 : 6} className="py-2 text-ink-faint">
                No partition assigned or committed.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr
                key={`${row.topic}-${row.partition}`}
                data-testid="partition-row"
                data-topic={row.topic}
                data-partition={row.partition}
                data-lag={row.lag}
                data-committed={row.committedOffset ?? ""}
                className="border-b border-line last:border-b-0 hover:bg-surface-raised"
              >
                {showTopic ? <td className={`${FIT} pr-4 font-mono text-[11px] text-ink-muted`}>{row.topic}</td> : null}
                <td className={`${FIT} pr-4 text-ink`}>{row.partition}</td>
                <td className={`${FIT} pr-4 text-right text-ink`}>
                  {row.committedOffset === null ? <span className="text-ink-faint" title="The group has not committed on this partition">none</span> : formatOffset(row.committedOffset)}
                </td>
                <td className={`${FIT} pr-4 text-right text-ink-muted`}>{formatOffset(row.endOffset)}</td>
                <td className={`${FIT} pr-4 text-right ${row.lag > 0 ? "font-medium text-pending" : "text-ink"}`}>{formatCount(row.lag)}</td>
                <td className={`${FIT} pr-4 text-right text-ink`}>{formatLatency(row.timeLagMs)}</td>
                <td className="max-w-0 truncate py-1 font-mono text-[11px] text-ink-muted" title={row.owner ?? "No member owns this partition"}>
                  {row.owner ?? <span className="font-sans text-pending">unassigned</span>}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
