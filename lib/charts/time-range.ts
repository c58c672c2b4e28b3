import type { HistoryPoint } from "@/lib/contracts/metrics";

/** The spans a chart can show; the longest is all the history the server keeps (HISTORY_SECONDS). */
export const CHART_RANGES = [
  { id: "1m", label: "1 min", seconds: 60 },
  { id: "5m", label: "5 min", seconds: 5 * 60 },
  { id: "15m", label: "15 min", seconds: 15 * 60 },
] as const;
export type ChartRangeId = (typeof CHART_RANGES)[number]["id"];
export const DEFAULT_CHART_RANGE: ChartRangeId = "5m";

export function rangeSeconds(id: ChartRangeId): number {
  return CHART_RANGES.find((range) => range.id === id)?.seconds ?? 300;
}

/**
 * The points of the last `seconds` before the newest point, and the time domain of the axis.
 * The window ends at the newest point rather than at the browser's clock: the server's clock stamps
 * the points, and a skewed browser clock must not push them off the chart.
 */
export function selectRange(history: readonly HistoryPoint[], seconds: number): { points: readonly HistoryPoint[]; domain: readonly [number, number] } | null {
  const newest = history[history.length - 1];
  if (!newest) return null;
  const start = newest.at - seconds * 1000;
  // The history is sorted oldest first: find the first point inside the window from the end.
  let first = history.length - 1;
  while (first > 0 && (history[first - 1] as HistoryPoint).at >= start) first -= 1;
  return { points: first === 0 ? history : history.slice(first), domain: [start, newest.at] };
}
