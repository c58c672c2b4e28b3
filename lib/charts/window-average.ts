import type { HistoryPoint } from "@/lib/contracts/metrics";

type RateKey = "insertRate" | "processedRate" | "failedRate" | "topicMessagesPerSec";

/**
 * The mean of a per-second rate over the history points of the last `windowMs` before `now`,
 * unknown seconds left out; null when none is known. A rare event (a failure every few seconds)
 * reads 0 in most single seconds; its average over a minute says how often it happens.
 */
export function windowAverage(points: readonly HistoryPoint[], key: RateKey, windowMs: number, now: number): number | null {
  let sum = 0;
  let known = 0;
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i]!;
    if (point.at <= now - windowMs) break;
    const value = point[key];
    if (value === null) continue;
    sum += value;
    known += 1;
  }
  return known === 0 ? null : sum / known;
}
