import type { ChartRow } from "@/lib/charts/downsample";
import type { ConsumerGroupStats } from "@/lib/contracts/metrics";
import { formatCount, formatLatency, formatRate } from "@/lib/format/numbers";
import { CHART_COLORS } from "@/components/charts/palette";
import { TimeSeriesChart, type ChartSeries } from "@/components/charts/time-series-chart";
import { STAGE_TONE, StageRule, StageStatusBadge } from "@/components/overview/stage-status";
import { Stat } from "@/components/overview/stat";
import { GroupMembers } from "./group-members";
import { PartitionTable } from "./partition-table";

const GROUP_LAG_SERIES: readonly ChartSeries[] = [
  { key: "lag", label: "lag", color: CHART_COLORS.accent },
  { key: "timeLagMs", label: "time lag", color: CHART_COLORS.pending, axis: "right", dashed: true },
];

/**
 * One consumer group: its state, health and the rule behind it, members, lag per partition, and
 * its lag over time. `data-lag` and `data-state` are what tests read. `partitionsOmitted`: the
 * snapshot came without the partitions (the one sent before the page's request reached the
 * server), so their count and table wait for the next one instead of showing none.
 */
export function GroupPanel(props: { group: ConsumerGroupStats; partitionsOmitted: boolean; now: number; rows: readonly ChartRow[]; domain: readonly [number, number] }) {
  const { group } = props;
  const tone = STAGE_TONE[group.health.status];
  return (
    <article
      data-testid={`group-${group.groupId}`}
      data-group={group.groupId}
      data-lag={group.totalLag}
      data-state={group.state}
      data-status={group.health.status}
      aria-label={`Consumer group ${group.groupId}`}
      className={`rounded border bg-surface ${group.health.status === "OK" ? "border-line" : tone.border}`}
    >
      <header className={`space-y-1 border-b border-line px-3 py-2 ${tone.wash}`}>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h2 className="min-w-0 font-mono text-sm font-medium break-all text-ink">{group.groupId}</h2>
          <span
            className={`rounded-sm border px-1.5 py-px text-[11px] ${group.state === "Stable" ? "border-line-strong text-ink-muted" : "border-pending/50 text-pending"}`}
            title="Group coordinator state"
          >
            {group.state}
          </span>
          <span className="ml-auto">
            <StageStatusBadge status={group.health.status} />
          </span>
        </div>
        <StageRule health={group.health} now={props.now} />
      </header>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 border-b border-line px-3 py-2 sm:grid-cols-5">
        <Stat label="Members">{formatCount(group.members.length)}</Stat>
        <Stat label="Total lag" tone={group.totalLag > 0 ? "text-pending" : undefined}>
          {formatCount(group.totalLag)}
        </Stat>
        <Stat label="Max time lag" title="Age of the oldest record not yet consumed, over the group's partitions">
          {formatLatency(group.maxTimeLagMs)}
        </Stat>
        <Stat label="Consumes" title="Committed offsets advanced per second">
          {formatRate(group.consumeRate)}
        </Stat>
        <Stat label="Partitions">{props.partitionsOmitted ? "…" : formatCount(group.partitions.length)}</Stat>
      </dl>
      <div className="grid gap-3 p-3 xl:grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)]">
        <div className="min-w-0 space-y-3">
          {props.partitionsOmitted ? (
            <p data-testid="partition-table-loading" className="py-2 text-xs text-ink-faint">
              Loading the partitions…
            </p>
          ) : (
            <PartitionTable partitions={group.partitions} />
          )}
          <div className="space-y-1">
            <h3 className="text-[11px] text-ink-muted">Members</h3>
            <GroupMembers members={group.members} />
          </div>
        </div>
        <TimeSeriesChart
          title="Lag over time"
          testId={`chart-group-${group.groupId}`}
          rows={props.rows}
          domain={props.domain}
          series={GROUP_LAG_SERIES}
          leftUnit="count"
          rightUnit="duration"
          height={170}
        />
      </div>
    </article>
  );
}
