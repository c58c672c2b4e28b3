import type { AuditEntry } from "@/lib/contracts/audit";
import { truncate } from "@/lib/errors/describe-error";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { EventIdLink } from "@/components/outbox/event-id-link";
import { exactTimeTitle } from "@/components/time/relative-time";
import { AuditActor, AuditCounts } from "./audit-counts";
import { describeTarget } from "./describe-target";
import { OutcomeBadge } from "./outcome-badge";

export const AUDIT_CELL = "px-2 py-1 whitespace-nowrap";
/** The whole target is in the tooltip, up to this many characters (a thousand event ids would not fit on a screen). */
const TARGET_TOOLTIP_CHARS = 2_000;

function Target({ target }: { target: AuditEntry["target"] }) {
  const ids = target.eventIds;
  if (Array.isArray(ids) && ids.length === 1 && typeof ids[0] === "string") return <EventIdLink eventId={ids[0]} />;
  return (
    <span className="font-mono text-[11px]" title={truncate(JSON.stringify(target), TARGET_TOOLTIP_CHARS)}>
      {describeTarget(target)}
    </span>
  );
}

/** One audit entry: who did what, to which rows, why, with what result. */
export function AuditEntryRow({ entry }: { entry: AuditEntry }) {
  return (
    <tr
      data-testid="audit-entry"
      data-id={entry.id}
      data-action={entry.action}
      data-outcome={entry.outcome}
      data-dry-run={entry.dryRun}
      data-actor={entry.actor}
      className="border-b border-line align-top last:border-0 hover:bg-surface-raised"
    >
      <td className={`${AUDIT_CELL} tabular text-ink-muted`} title={exactTimeTitle(entry.at)}>
        {formatUtcTimestamp(entry.at)}
      </td>
      <td className={AUDIT_CELL}>
        <AuditActor entry={entry} />
      </td>
      <td className={`${AUDIT_CELL} font-mono text-[11px]`}>
        {entry.action}
        {entry.topic ? <div className="max-w-56 truncate text-ink-muted" title={entry.topic}>→ {entry.topic}</div> : null}
      </td>
      <td className={`${AUDIT_CELL} max-w-72 truncate`}>
        <Target target={entry.target} />
      </td>
      <td className={`${AUDIT_CELL} ${entry.dryRun ? "text-ink" : "text-ink-faint"}`}>{entry.dryRun ? "dry run" : "—"}</td>
      <td className="max-w-64 min-w-32 px-2 py-1 break-words text-ink-muted">{entry.reason ?? "—"}</td>
      <td className="max-w-52 min-w-40 px-2 py-1">
        <AuditCounts entry={entry} />
      </td>
      <td className={AUDIT_CELL}>
        <OutcomeBadge outcome={entry.outcome} />
      </td>
      <td className="max-w-64 truncate px-2 py-1 text-down" title={entry.error ?? undefined}>
        {entry.error ?? <span className="text-ink-faint">—</span>}
      </td>
    </tr>
  );
}
