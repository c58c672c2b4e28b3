import type { OutboxRow } from "@/lib/contracts/outbox";
import { formatCount } from "@/lib/format/numbers";
import { EventIdLink } from "./event-id-link";
import { StatusBadge } from "./status-badge";

const CELL = "px-2 py-1 whitespace-nowrap";

/** A few of the rows a dry run matched, so the operator sees what the count is made of. */
export function DryRunSample({ rows, matched }: { rows: readonly OutboxRow[]; matched: number }) {
  if (rows.length === 0) return null;
  return (
    <div className="space-y-1">
      <p className="text-[11px] text-ink-muted">
        Sample: {formatCount(rows.length)} of {formatCount(matched)}
      </p>
      <div className="max-h-56 overflow-auto rounded border border-line">
        <table className="w-full text-xs" data-testid="dry-run-sample">
          <thead>
            <tr className="border-b border-line text-left text-[11px] text-ink-muted">
              <th className={`${CELL} font-normal`}>Event id</th>
              <th className={`${CELL} font-normal`}>Event type</th>
              <th className={`${CELL} font-normal`}>Aggregate</th>
              <th className={`${CELL} font-normal`}>Status</th>
              <th className={`${CELL} text-right font-normal`}>Retries</th>
              <th className={`${CELL} font-normal`}>Last error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.eventId} data-testid="dry-run-row" data-event-id={row.eventId} className="border-b border-line last:border-0">
                <td className={CELL}>
                  <EventIdLink eventId={row.eventId} />
                </td>
                <td className={`${CELL} max-w-40 truncate font-mono`} title={row.eventType}>
                  {row.eventType}
                </td>
                <td className={`${CELL} max-w-40 truncate font-mono text-ink-muted`} title={`${row.aggregateType} ${row.aggregateId}`}>
                  {row.aggregateType} {row.aggregateId}
                </td>
                <td className={CELL}>
                  <StatusBadge status={row.status} />
                </td>
                <td className={`${CELL} tabular text-right`}>{formatCount(row.retryCount)}</td>
                <td className={`${CELL} max-w-56 truncate text-ink-muted`} title={row.lastError ?? undefined}>
                  {row.lastError ?? "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
