"use client";

import { useDeferredValue, useMemo, useState } from "react";
import { HOPS, type HistoryPoint } from "@/lib/contracts/metrics";
import { backlogRows, groupIdsIn, groupLagKey, lagRows, latencyKey, latencyRows, throughputRows } from "@/lib/charts/series";
import { DEFAULT_CHART_RANGE, rangeSeconds, selectRange, type ChartRangeId } from "@/lib/charts/time-range";
import { useMetricsHistory } from "@/components/metrics/live-metrics";
import { HOP_COLORS, HOP_SHORT_LABELS } from "@/components/charts/hop-colors";
import { CHART_COLORS, cycleColor } from "@/components/charts/palette";
import { RangePicker } from "@/components/charts/range-picker";
import { useWhileVisible } from "@/components/charts/use-while-visible";
import { TimeSeriesChart, type ChartSeries } from "@/components/charts/time-series-chart";
import { Skeleton } from "./stat";

const CHART_HEIGHT = 180;
const NO_HISTORY: readonly HistoryPoint[] = [];

const THROUGHPUT_SERIES: readonly ChartSeries[] = [
  { key: "insertRate", label: "inserted", color: CHART_COLORS.accent },
  { key: "topicMessagesPerSec", label: "topic", color: CHART_COLORS.violet },
  { key: "processedRate", label: "processed", color: CHART_COLORS.up },
  { key: "failedRate", label: "failed", color: CHART_COLORS.down },
];

const BACKLOG_SERIES: readonly ChartSeries[] = [
  { key: "pending", label: "pending", color: CHART_COLORS.pending },
  { key: "failed", label: "failed", color: CHART_COLORS.down },
];

const LATENCY_SERIES: readonly ChartSeries[] = HOPS.flatMap((hop) => [
  { key: latencyKey(hop, "p99"), label: `${HOP_SHORT_LABELS[hop]} p99`, color: HOP_COLORS[hop] },
  { key: latencyKey(hop, "p50"), label: `${HOP_SHORT_LABELS[hop]} p50`, color: HOP_COLORS[hop], dashed: true },
]);

/**
 * The overview's live charts over the last 1, 5 or 15 minutes: throughput at each stage, lag of
 * every group (and of the replication slot), latency per hop, and the outbox backlog.
 */
export function OverviewCharts() {
  // Deferred: drawing the charts is the heaviest work on the page, so React renders it after the
  // numbers and the connection state, and can interrupt it for input.
  const history = useDeferredValue(useWhileVisible(useMetricsHistory()), NO_HISTORY);
  const [range, setRange] = useState<ChartRangeId>(DEFAULT_CHART_RANGE);
  const selected = useMemo(() => selectRange(history, rangeSeconds(range)), [history, range]);

  const groupIds = useMemo(() => (selected ? groupIdsIn(selected.points) : []), [selected]);
  // The series list keeps its identity while the set of groups stays the same, so the chart is not
  // re-configured every second.
  const groupKey = JSON.stringify(groupIds);
  const lagSeries = useMemo<readonly ChartSeries[]>(
    () => [
      ...groupIds.map((groupId, index) => ({ key: groupLagKey(groupId), label: groupId, color: cycleColor(index) })),
      { key: "slotLagBytes", label: "slot lag", color: CHART_COLORS.pending, axis: "right", dashed: true },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the group ids' values, not the array's identity
    [groupKey],
  );

  const charts = useMemo(() => {
    if (!selected) return null;
    return {
      domain: selected.domain,
      throughput: throughputRows(selected.points),
      lag: lagRows(selected.points, groupIds),
      latency: latencyRows(selected.points),
      backlog: backlogRows(selected.points),
    };
  }, [selected, groupIds]);

  return (
    <section aria-labelledby="charts-heading" className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="charts-heading" className="text-sm font-medium text-ink">
          Last {range === "1m" ? "minute" : range === "5m" ? "5 minutes" : "15 minutes"} <span className="text-[11px] font-normal text-ink-faint">times in UTC</span>
        </h2>
        <RangePicker value={range} onChange={setRange} />
      </div>
      {charts ? (
        <div className="grid gap-3 lg:grid-cols-2">
          <TimeSeriesChart title="Throughput" testId="chart-throughput" rows={charts.throughput} domain={charts.domain} series={THROUGHPUT_SERIES} leftUnit="rate" height={CHART_HEIGHT} />
          <TimeSeriesChart
            title="Lag: records behind per group, WAL behind on the slot"
            testId="chart-lag"
            rows={charts.lag}
            domain={charts.domain}
            series={lagSeries}
            leftUnit="count"
            rightUnit="bytes"
            height={CHART_HEIGHT}
          />
          <TimeSeriesChart
            title="Latency per hop (p99 solid, p50 dashed)"
            testId="chart-latency"
            rows={charts.latency}
            domain={charts.domain}
            series={LATENCY_SERIES}
            leftUnit="duration"
            height={CHART_HEIGHT}
            connectNulls
            emptyText="No events measured in this window"
          />
          <TimeSeriesChart title="Outbox backlog" testId="chart-backlog" rows={charts.backlog} domain={charts.domain} series={BACKLOG_SERIES} leftUnit="count" height={CHART_HEIGHT} />
        </div>
      ) : (
        <div className="grid gap-3 lg:grid-cols-2" aria-busy>
          {["chart-throughput", "chart-lag", "chart-latency", "chart-backlog"].map((id) => (
            <div key={id} className="rounded border border-line bg-surface p-3">
              <Skeleton className="mb-3 h-3.5 w-32" />
              <Skeleton className="h-[180px] w-full" />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
