import type { AuditEntry } from "@/lib/contracts/audit";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { AuditActor, AuditCounts } from "@/components/audit/audit-counts";
import { OutcomeBadge } from "@/components/audit/outcome-badge";

const CELL = "px-2 py-1 whitespace-nowrap";

/** Every audited action that touched the event, as the audit log holds it. */
export function EventActions({ actions }: { actions: readonly AuditEntry[] }) {
  return (
    <div className="overflow-x-auto rounded border border-line bg-surface">
      <table className="w-full text-xs" data-testid="trace-actions">
        <thead>
          <tr className="border-b border-line text-left text-[11px] text-ink-muted">
            <th className={`${CELL} font-normal`}>Time</th>
            <th className={`${CELL} font-normal`}>Actor</th>
            <th className={`${CELL} font-normal`}>Action</th>
            <th className={`${CELL} font-normal`}>Outcome</th>
            <th className={`${CELL} font-normal`}>Rows</th>
            <th className={`${CELL} font-normal`}>Reason</th>
          </tr>
        </thead>
        <tbody>
          {actions.length === 0 ? (
            <tr>
              <td colSpan={6} className={`${CELL} py-2 text-ink-faint`}>
                No action was taken on this event.
              </td>
            </tr>
          ) : (
            actions.map((entry) => (
              <tr key={entry.id} data-testid="trace-action" data-action={entry.action} data-outcome={entry.outcome} data-dry-run={entry.dryRun} className="border-b border-line align-top last:border-0">
                <td className={`${CELL} tabular text-ink-muted`}>{formatUtcTimestamp(entry.at)}</td>
                <td className={CELL}>
                  <AuditActor entry={entry} />
                </td>
                <td className={`${CELL} font-mono text-[11px]`}>
                  {entry.action}
                  {entry.dryRun ? <span className="ml-1 font-sans text-ink-faint">(dry run)</span> : null}
                  {entry.topic ? <div className="text-ink-muted">→ {entry.topic}</div> : null}
                </td>
                <td className={CELL}>
                  <OutcomeBadge outcome={entry.outcome} />
                  {entry.error ? (
                    <span className="ml-1 text-down" title={entry.error}>
                      !
                    </span>
                  ) : null}
                </td>
                <td className="min-w-40 px-2 py-1">
                  <AuditCounts entry={entry} />
                </td>
                <td className="max-w-0 min-w-40 px-2 py-1 break-words text-ink-muted">{entry.reason ?? "—"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
