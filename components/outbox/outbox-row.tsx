import type { OutboxRow } from "@/lib/contracts/outbox";
import { formatCount } from "@/lib/format/numbers";
import { RelativeTime } from "@/components/time/relative-time";
import { EventIdLink } from "./event-id-link";
import { StatusBadge } from "./status-badge";

export const ROW_CELL = "px-2 py-1 whitespace-nowrap";

/**
 * One outbox row. `flash` is set when the row is new or changed since the previous refresh: it
 * flashes once (two animation names, alternating per refresh, so it flashes again if it changes
 * again). `selection` is absent for those who may not act on rows.
 */
export function OutboxRowItem(props: {
  row: OutboxRow;
  now: number;
  flash: "a" | "b" | null;
  selection?: { selected: boolean; onToggle: (eventId: string) => void };
}) {
  const { row, selection } = props;
  return (
    <tr
      data-testid="outbox-row"
      data-event-id={row.eventId}
      data-status={row.status}
      data-sequence={row.sequence}
      data-retry-count={row.retryCount}
      data-changed={props.flash !== null}
      className={`border-b border-line last:border-0 hover:bg-surface-raised ${props.flash === "a" ? "animate-row-flash-a" : props.flash === "b" ? "animate-row-flash-b" : ""}`}
    >
      {selection ? (
        <td className={`${ROW_CELL} w-px`}>
          <input
            type="checkbox"
            data-testid="outbox-row-select"
            aria-label={`Select event ${row.eventId}`}
            checked={selection.selected}
            onChange={() => selection.onToggle(row.eventId)}
            className="accent-accent"
          />
        </td>
      ) : null}
      <td className={`${ROW_CELL} tabular text-ink-muted`}>
        <RelativeTime time={row.createdAt} now={props.now} />
      </td>
      <td className={ROW_CELL}>
        <EventIdLink eventId={row.eventId} />
      </td>
      <td className={`${ROW_CELL} tabular text-right text-ink-muted`}>{row.sequence}</td>
      <td className={`${ROW_CELL} max-w-56 truncate font-mono`} title={row.eventType}>
        {row.eventType}
      </td>
      <td className={`${ROW_CELL} max-w-64 truncate font-mono text-ink-muted`} title={`${row.aggregateType} ${row.aggregateId}`}>
        {row.aggregateType} <span className="text-ink">{row.aggregateId}</span>
      </td>
      <td className={ROW_CELL}>
        <StatusBadge status={row.status} />
      </td>
      <td className={`${ROW_CELL} tabular text-right ${row.retryCount > 0 ? "text-pending" : "text-ink-muted"}`}>{formatCount(row.retryCount)}</td>
      <td className="max-w-0 truncate px-2 py-1 text-ink-muted" title={row.lastError ?? undefined}>
        {row.lastError ?? <span className="text-ink-faint">—</span>}
      </td>
    </tr>
  );
}
