import type { ConsumerGroupStats } from "@/lib/contracts/metrics";

/** The group's members as clientId@host, each with the partitions it owns. */
export function GroupMembers({ members }: { members: ConsumerGroupStats["members"] }) {
  if (members.length === 0) return <p className="text-xs text-ink-faint">No member: nothing is consuming for this group right now.</p>;
  return (
    <ul className="space-y-0.5 text-xs" data-testid="group-members">
      {members.map((member) => (
        <li key={member.memberId} data-testid="group-member" title={member.memberId} className="flex flex-wrap items-baseline gap-x-2">
          <span className="font-mono text-[11px] break-all text-ink">
            {member.clientId}
            <span className="text-ink-faint">@</span>
            {member.host}
          </span>
          <span className="tabular text-ink-muted">
            {member.partitions.length === 0 ? "no partitions" : `partition${member.partitions.length > 1 ? "s" : ""} ${[...member.partitions].sort((a, b) => a - b).join(", ")}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
