import { HOPS, type Hop, type HistoryPoint } from "@/lib/contracts/metrics";
import type { ChartRow } from "./downsample";

/**
 * Chart rows from the history's points, one builder per chart. Series keys are stable strings so
 * a chart's line keeps its identity (and colour) from one second to the next.
 */

export function throughputRows(points: readonly HistoryPoint[]): ChartRow[] {
  return points.map((point) => ({
    at: point.at,
    insertRate: point.insertRate,
    topicMessagesPerSec: point.topicMessagesPerSec,
    processedRate: point.processedRate,
    failedRate: point.failedRate,
  }));
}

export function backlogRows(points: readonly HistoryPoint[]): ChartRow[] {
  return points.map((point) => ({ at: point.at, pending: point.pending, failed: point.failed }));
}

/** Key of a group's series in {@link lagRows}: group ids are free text, so they are namespaced. */
export function groupLagKey(groupId: string): string {
  return `group:${groupId}`;
}

/**
 * Total lag of each group, and the slot's lag in bytes under `slotLagBytes`. A group missing from a
 * point (not yet discovered, or gone) is null there: a gap, not a lag of 0.
 */
export function lagRows(points: readonly HistoryPoint[], groupIds: readonly string[]): ChartRow[] {
  return points.map((point) => {
    const row: ChartRow = { at: point.at, slotLagBytes: point.slotLagBytes };
    for (const groupId of groupIds) row[groupLagKey(groupId)] = point.groupLag[groupId] ?? null;
    return row;
  });
}

/** One group's total lag (`lag`) and time lag (`timeLagMs`). */
export function groupRows(points: readonly HistoryPoint[], groupId: string): ChartRow[] {
  return points.map((point) => ({ at: point.at, lag: point.groupLag[groupId] ?? null, timeLagMs: point.groupTimeLagMs[groupId] ?? null }));
}

export function latencyKey(hop: Hop, percentile: "p50" | "p99"): string {
  return `${hop}:${percentile}`;
}

/** p50 and p99 of every hop, per second. */
export function latencyRows(points: readonly HistoryPoint[]): ChartRow[] {
  return points.map((point) => {
    const row: ChartRow = { at: point.at };
    for (const hop of HOPS) {
      row[latencyKey(hop, "p50")] = point.latencyP50[hop] ?? null;
      row[latencyKey(hop, "p99")] = point.latencyP99[hop] ?? null;
    }
    return row;
  });
}

/** Every group id that appears in the points, in order of first appearance. */
export function groupIdsIn(points: readonly HistoryPoint[]): string[] {
  const ids = new Set<string>();
  for (const point of points) for (const groupId of Object.keys(point.groupLag)) ids.add(groupId);
  return [...ids];
}

/** The newest non-null value of a series, for a chart's legend. */
export function latestValue(rows: readonly ChartRow[], key: string): number | null {
  for (let index = rows.length - 1; index >= 0; index--) {
    const value = (rows[index] as ChartRow)[key];
    if (typeof value === "number") return value;
  }
  return null;
}
