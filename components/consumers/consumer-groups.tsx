"use client";

import { useDeferredValue, useMemo, useState } from "react";
import type { ChartRow } from "@/lib/charts/downsample";
import type { HistoryPoint } from "@/lib/contracts/metrics";
import { groupRows } from "@/lib/charts/series";
import { DEFAULT_CHART_RANGE, rangeSeconds, selectRange, type ChartRangeId } from "@/lib/charts/time-range";
import { formatClockTime } from "@/lib/format/clock";
import { formatDuration } from "@/lib/format/duration";
import { formatCount } from "@/lib/format/numbers";
import { useMetricsHistory, useMetricsSnapshot } from "@/components/metrics/live-metrics";
import { useLiveConnection } from "@/components/realtime/live-connection";
import { RangePicker } from "@/components/charts/range-picker";
import { useWhileVisible } from "@/components/charts/use-while-visible";
import { Skeleton } from "@/components/overview/stat";
import { GroupPanel } from "./group-panel";
import { useGroupPartitions } from "./use-group-partitions";

/**
 * Every consumer group the server monitors on the outbox topic, from the live snapshot, with its
 * lag history from the pushed history. Skeletons until the first snapshot; an explanation when no
 * group is monitored.
 */
export function ConsumerGroups() {
  useGroupPartitions();
  const snapshot = useMetricsSnapshot();
  // Deferred: drawing the charts is the heaviest work on the page, so React renders it after the
  // numbers and the connection state, and can interrupt it for input.
  const history = useDeferredValue(useWhileVisible(useMetricsHistory()), NO_HISTORY);
  const connection = useLiveConnection();
  const [range, setRange] = useState<ChartRangeId>(DEFAULT_CHART_RANGE);
  const selected = useMemo(() => selectRange(history, rangeSeconds(range)), [history, range]);
  const groupIdsKey = JSON.stringify(snapshot?.groups.map((group) => group.groupId) ?? []);
  // Each group's chart rows are rebuilt only when the history or the set of groups changes, not on
  // every snapshot.
  const rowsByGroup = useMemo(() => {
    const groupIds = JSON.parse(groupIdsKey) as string[];
    return new Map(groupIds.map((groupId) => [groupId, selected ? groupRows(selected.points, groupId) : NO_ROWS]));
  }, [selected, groupIdsKey]);

  if (!snapshot) return <GroupsSkeleton />;

  const { groups } = snapshot;
  if (groups.length === 0) {
    return (
      <div data-testid="groups-empty" className="max-w-2xl rounded border border-dashed border-line-strong bg-surface px-4 py-3 text-xs text-ink-muted">
        <p className="mb-1 text-sm text-ink">No consumer group is monitored yet.</p>
        <p>
          Groups are discovered from the offsets they commit on <code className="font-mono text-ink">{snapshot.topic.topic}</code>: a group that reads the topic appears here
          after its first commit. A group that has never committed, or that reads without committing, is not visible to the broker as a consumer of this topic.
        </p>
      </div>
    );
  }

  const stale = connection !== "connected";
  // The snapshot's end of the window when there is no history yet, so the axes are still right.
  const domain = selected?.domain ?? ([snapshot.at - rangeSeconds(range) * 1000, snapshot.at] as const);
  const totalLag = groups.reduce((sum, group) => sum + group.totalLag, 0);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-ink-muted" data-testid="groups-summary" data-groups={groups.length}>
          <span className="tabular text-ink">{formatCount(groups.length)}</span> group{groups.length === 1 ? "" : "s"} on{" "}
          <code className="font-mono text-ink">{snapshot.topic.topic}</code>, <span className="tabular text-ink">{formatCount(totalLag)}</span> records behind in all ·{" "}
          {stale ? <span className="font-semibold text-pending">STALE, last snapshot </span> : "snapshot "}
          <span className="tabular text-ink">{formatClockTime(snapshot.at)} UTC</span>
          {snapshot.topic.offsetsReadEveryMs > OFFSET_READ_EVERY_SECOND_MS ? (
            <span data-testid="offsets-read-every" title="Offsets of this many partitions and groups are read less often than every second, to bound the cost of polling them">
              {" "}
              · offsets read every {formatDuration(snapshot.topic.offsetsReadEveryMs)}
            </span>
          ) : null}
        </p>
        <RangePicker value={range} onChange={setRange} label="Lag chart time range" />
      </div>
      <div className={`space-y-3 ${stale ? "opacity-60" : ""}`}>
        {groups.map((group) => (
          <GroupPanel
            key={group.groupId}
            group={group}
            partitionsOmitted={snapshot.groupPartitions === "omitted"}
            now={snapshot.at}
            rows={rowsByGroup.get(group.groupId) ?? NO_ROWS}
            domain={domain}
          />
        ))}
      </div>
    </div>
  );
}

/** The poller's normal pace; slower only when its budget says so. */
const OFFSET_READ_EVERY_SECOND_MS = 1_000;
const NO_ROWS: readonly ChartRow[] = [];
const NO_HISTORY: readonly HistoryPoint[] = [];

function GroupsSkeleton() {
  return (
    <div className="space-y-3" aria-busy>
      <Skeleton className="h-4 w-80" />
      {[0, 1].map((index) => (
        <div key={index} className="space-y-3 rounded border border-line bg-surface p-3">
          <Skeleton className="h-4 w-56" />
          <div className="grid grid-cols-5 gap-4">
            {Array.from({ length: 5 }, (_, cell) => (
              <Skeleton key={cell} className="h-8 w-full" />
            ))}
          </div>
          <Skeleton className="h-32 w-full" />
        </div>
      ))}
    </div>
  );
}
