import type { ReactNode } from "react";
import Link from "next/link";
import type { ConsumerGroupStats } from "@/lib/contracts/metrics";
import { formatCount, formatLatency, formatRate } from "@/lib/format/numbers";
import { STAGE_TONE } from "./stage-status";

/** The consumer groups reading the topic: one row each with its own health, lag and rate. */
export function ConsumersStageBody({ groups, topic }: { groups: readonly ConsumerGroupStats[]; topic: string }) {
  if (groups.length === 0) {
    return (
      <p className="text-xs text-ink-muted">
        No consumer group has committed offsets on <code className="font-mono text-ink">{topic}</code> yet. Groups appear here once they commit.
      </p>
    );
  }
  return (
    <>
      <ul className="space-y-2">
        {groups.map((group) => {
          const tone = STAGE_TONE[group.health.status];
          return (
            <li
              key={group.groupId}
              data-testid={`stage-group-${group.groupId}`}
              data-status={group.health.status}
              data-lag={group.totalLag}
              className="space-y-1 border-b border-line pb-2 last:border-b-0 last:pb-0"
            >
              <div className="flex items-center gap-2">
                <span aria-hidden className={`size-1.5 shrink-0 rounded-full ${tone.dot}`} title={group.health.status} />
                <Link href="/consumers" className="min-w-0 truncate font-mono text-xs text-ink hover:text-accent" title={group.groupId}>
                  {group.groupId}
                </Link>
                <span className={`ml-auto shrink-0 text-[11px] font-semibold ${tone.text}`}>{group.health.status}</span>
              </div>
              <p className="text-[11px] text-ink-muted">
                <span className={group.state === "Stable" ? "" : "text-pending"}>{group.state}</span> · {formatCount(group.members.length)} member
                {group.members.length === 1 ? "" : "s"}
              </p>
              <dl className="tabular grid grid-cols-3 gap-x-2 text-xs">
                <GroupFigure term="Lag">{formatCount(group.totalLag)}</GroupFigure>
                <GroupFigure term="Time lag">{formatLatency(group.maxTimeLagMs)}</GroupFigure>
                <GroupFigure term="Consumes">{formatRate(group.consumeRate)}</GroupFigure>
              </dl>
              {group.health.status !== "OK" ? <p className={`text-[11px] leading-snug ${tone.text}`}>{group.health.rule}</p> : null}
            </li>
          );
        })}
      </ul>
      <Link href="/consumers" className="mt-auto text-[11px] text-ink-muted hover:text-accent">
        Partitions and members →
      </Link>
    </>
  );
}

function GroupFigure({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] text-ink-faint">{term}</dt>
      <dd className="truncate text-ink">{children}</dd>
    </div>
  );
}
