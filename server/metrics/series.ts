import { HISTORY_SECONDS, HOPS, type Hop, type HistoryPoint } from "@/lib/contracts/metrics";

/**
 * The chart history: one {@link HistoryPoint} a second, the newest HISTORY_SECONDS (15 min) of them,
 * in a fixed ring so memory stays the same however long the server runs. Sent whole to a browser
 * on connect, then one point a second.
 */
export class HistorySeries {
  private readonly ring: Array<HistoryPoint | undefined>;
  /** Slot of the oldest point. */
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number = HISTORY_SECONDS) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`history capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<HistoryPoint | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** The newest point, or null when empty. */
  get newest(): HistoryPoint | null {
    return this.length === 0 ? null : this.at(this.length - 1);
  }

  /**
   * Appends a point, dropping the oldest when full. A point stamped at the newest point's time
   * replaces it (the same second computed twice). One stamped earlier means the wall clock was set
   * back: the points after it would run the chart's time axis backwards, so they are dropped.
   */
  push(point: HistoryPoint): void {
    while (this.length > 0 && this.at(this.length - 1).at >= point.at) this.length -= 1;
    if (this.length === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.length -= 1;
    }
    this.ring[(this.start + this.length) % this.capacity] = point;
    this.length += 1;
  }

  /** All points, oldest first (a copy). */
  toArray(): HistoryPoint[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }

  /** The points stamped strictly after `at`, oldest first: what a reconnecting browser missed. */
  since(at: number): HistoryPoint[] {
    // Binary search: points are in time order (push keeps them so).
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.at(mid).at <= at) low = mid + 1;
      else high = mid;
    }
    return Array.from({ length: this.length - low }, (_, i) => this.at(low + i));
  }

  private at(i: number): HistoryPoint {
    return this.ring[(this.start + i) % this.capacity]!;
  }
}

/**
 * Reduces points to at most `maxPoints` for a chart about that many pixels wide, by merging runs
 * of consecutive points. Runs are aligned on the newest point, so the latest value is always
 * its own bucket's last and the oldest run is the one that may be short.
 *
 * How a run becomes one point depends on what the field means:
 *  - throughputs (topic messages, insert, processed and failed rates) are AVERAGED, so the area
 *    under the line, the number of events, stays right;
 *  - levels and latencies (pending, failed, slot lag, group lag and time lag, p50, p99) keep their
 *    MAXIMUM, so a spike shorter than a pixel stays visible: those are what an operator looks for.
 * Nulls are ignored; a run with no value is null (a gap stays a gap). The merged point is stamped
 * with its run's last time.
 */
export function downsample(points: readonly HistoryPoint[], maxPoints: number): HistoryPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new Error(`maxPoints must be a positive integer, got ${maxPoints}`);
  if (points.length <= maxPoints) return points.slice();
  const runLength = Math.ceil(points.length / maxPoints);
  const merged: HistoryPoint[] = [];
  for (let end = points.length; end > 0; end -= runLength) {
    merged.push(mergeRun(points.slice(Math.max(0, end - runLength), end)));
  }
  return merged.reverse();
}

type Merge = (values: Array<number | null | undefined>) => number | null;

const average: Merge = (values) => {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    sum += value;
    count += 1;
  }
  return count === 0 ? null : sum / count;
};

const maximum: Merge = (values) => {
  let max: number | null = null;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (max === null || value > max) max = value;
  }
  return max;
};

function mergeRecord(run: readonly HistoryPoint[], field: "groupLag" | "groupTimeLagMs"): Record<string, number | null> {
  const keys = new Set(run.flatMap((point) => Object.keys(point[field])));
  return Object.fromEntries([...keys].map((key) => [key, maximum(run.map((point) => point[field][key]))]));
}

function mergeHops(run: readonly HistoryPoint[], field: "latencyP50" | "latencyP99"): Record<Hop, number | null> {
  return Object.fromEntries(HOPS.map((hop) => [hop, maximum(run.map((point) => point[field][hop]))])) as Record<Hop, number | null>;
}

function mergeRun(run: readonly HistoryPoint[]): HistoryPoint {
  const last = run[run.length - 1]!;
  if (run.length === 1) return last;
  const groupLag = mergeRecord(run, "groupLag");
  return {
    at: last.at,
    topicMessagesPerSec: average(run.map((p) => p.topicMessagesPerSec)),
    insertRate: average(run.map((p) => p.insertRate)),
    processedRate: average(run.map((p) => p.processedRate)),
    failedRate: average(run.map((p) => p.failedRate)),
    pending: maximum(run.map((p) => p.pending)),
    failed: maximum(run.map((p) => p.failed)),
    slotLagBytes: maximum(run.map((p) => p.slotLagBytes)),
    // The contract has no null in groupLag: a group present in the run has a value in some point.
    groupLag: Object.fromEntries(Object.entries(groupLag).filter((entry): entry is [string, number] => entry[1] !== null)),
    groupTimeLagMs: mergeRecord(run, "groupTimeLagMs"),
    latencyP50: mergeHops(run, "latencyP50"),
    latencyP99: mergeHops(run, "latencyP99"),
  };
}
