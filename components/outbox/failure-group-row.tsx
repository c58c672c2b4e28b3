import type { ActionKind, FailureGroup } from "@/lib/contracts/outbox";
import { formatCount } from "@/lib/format/numbers";
import { BUTTON_CLASS, WRITE_BUTTON_CLASS } from "@/components/forms/field-styles";
import { RelativeTime } from "@/components/time/relative-time";
import type { ActionChoice } from "./action-target";
import { EventIdLink } from "./event-id-link";

export const GROUP_CELL = "px-2 py-1 whitespace-nowrap";

/**
 * One failure group: failed rows of one event type whose errors read the same once numbers and ids
 * are taken out. "Show rows" filters the table to the event type's failed rows (the signature is
 * no filter field, so the rows of other causes of that type show too); the actions aim at the
 * group itself.
 */
export function FailureGroupRow(props: { group: FailureGroup; now: number; allowed: readonly ActionKind[]; onShowRows: (eventType: string) => void; onAction: (choice: ActionChoice) => void }) {
  const { group } = props;
  const key = { eventType: group.eventType, signature: group.signature };
  return (
    <tr data-testid="failure-group" data-event-type={group.eventType} data-signature={group.signature} data-count={group.count} className="border-b border-line align-top last:border-0 hover:bg-surface-raised">
      <td className={`${GROUP_CELL} max-w-48 truncate font-mono`} title={group.eventType}>
        {group.eventType}
      </td>
      <td className="max-w-0 px-2 py-1">
        <p className="truncate font-mono text-[11px] text-down" title={group.signature}>
          {group.signature}
        </p>
        <p className="truncate text-[11px] text-ink-faint" title={group.sampleError ?? undefined}>
          e.g. {group.sampleError ?? "—"}
        </p>
      </td>
      <td className={`${GROUP_CELL} tabular text-right font-medium text-ink`}>{formatCount(group.count)}</td>
      <td className={`${GROUP_CELL} tabular text-ink-muted`}>
        <RelativeTime time={group.firstSeen} now={props.now} />
      </td>
      <td className={`${GROUP_CELL} tabular text-ink-muted`}>
        <RelativeTime time={group.lastSeen} now={props.now} />
      </td>
      <td className={GROUP_CELL}>
        <EventIdLink eventId={group.sampleEventId} />
      </td>
      <td className={`${GROUP_CELL} text-right`}>
        <span className="inline-flex gap-1">
          <button type="button" data-testid="failure-group-show" onClick={() => props.onShowRows(group.eventType)} className={BUTTON_CLASS}>
            Show rows
          </button>
          {props.allowed.map((kind) => (
            <button key={kind} type="button" data-testid={`failure-group-${kind}`} onClick={() => props.onAction({ kind, target: { group: key } })} className={WRITE_BUTTON_CLASS}>
              {kind === "retry" ? "Retry group" : "Replay group"}
            </button>
          ))}
        </span>
      </td>
    </tr>
  );
}
