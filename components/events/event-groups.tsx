import type { EventTrace } from "@/lib/contracts/events";
import { formatOffset } from "@/lib/format/numbers";

const CELL = "px-2 py-1 whitespace-nowrap";

/** Whether each monitored consumer group has committed past the event's first message. */
export function EventGroups({ groups, partition }: { groups: EventTrace["groups"]; partition: number | null }) {
  return (
    <div className="overflow-x-auto rounded border border-line bg-surface">
      <table className="w-full text-xs" data-testid="trace-groups">
        <thead>
          <tr className="border-b border-line text-left text-[11px] text-ink-muted">
            <th className={`${CELL} font-normal`}>Group</th>
            <th className={`${CELL} text-right font-normal`}>Committed offset{partition === null ? "" : ` (partition ${partition})`}</th>
            <th className={`${CELL} font-normal`}>Passed the event</th>
          </tr>
        </thead>
        <tbody>
          {groups.length === 0 ? (
            <tr>
              <td colSpan={3} className={`${CELL} py-2 text-ink-faint`}>
                No consumer group is monitored.
              </td>
            </tr>
          ) : (
            groups.map((group) => (
              <tr key={group.groupId} data-testid="trace-group" data-group={group.groupId} data-passed={group.passed} className="border-b border-line last:border-0">
                <td className={`${CELL} font-mono text-[11px]`}>{group.groupId}</td>
                <td className={`${CELL} tabular text-right`}>
                  {group.committedOffset === null ? <span className="text-ink-faint">none</span> : formatOffset(group.committedOffset)}
                </td>
                <td className={CELL}>{group.passed ? <span className="text-up">✓ passed</span> : <span className="text-pending">not yet</span>}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
