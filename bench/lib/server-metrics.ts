import { EVENT_LOOP_DELAY_METRIC } from "@/server/metrics/event-loop-delay";
import { sample, samples } from "./prometheus-text";

/**
 * What the benches read from the server's own /metrics: its event-loop delay and memory (from
 * prom-client's default collectors) and the pipeline's rates as the server sees them.
 */

export const MB = 1024 * 1024;

/** A scrape answers in milliseconds; a server that has not answered in this long is reported, not waited for. */
const SCRAPE_TIMEOUT_MS = 5_000;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export interface Scrape {
  /** Seconds since `started`. */
  at: number;
  /**
   * Event-loop delay p99 since the previous scrape given to {@link scrape}, from the server's
   * cumulative histogram (NaN without one).
   */
  loopP99Ms: number;
  /**
   * prom-client's `nodejs_eventloop_lag_max` since the previous scrape (it resets on every
   * collection, so only with one scraper). Node's monitorEventLoopDelay records the whole time
   * between two of its timer's runs, the 10 ms resolution included: the delay is ~10 ms less.
   */
  loopMaxMs: number;
  /** The server's cumulative event-loop delay histogram (server/metrics/event-loop-delay.ts), never reset. */
  loopBuckets: HistogramBucket[];
  rssMb: number;
  heapUsedMb: number;
  /** What V8 has reserved for the heap (used or not): RSS follows this, not what is used. */
  heapTotalMb: number;
  /** Memory outside the JS heap that V8 knows of: Buffers (Kafka fetches, sockets) and the like. */
  externalMb: number;
  /** Records appended to the topic per second, all partitions. */
  topicRate: number;
  /** Outbox rows inserted and processed per second, as the server counts them. */
  insertRate: number;
  processedRate: number;
  /** Records the monitored consumer groups have yet to consume, summed. */
  groupLag: number;
}

/** Reads the server's /metrics (with `headers`, e.g. a bearer token, when sign-in is required). */
export async function scrape(url: string, started: number, headers: Record<string, string> = {}, previous?: Pick<Scrape, "loopBuckets">): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, { headers, signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const sum = (name: string) => samples(text, name).reduce((total, value) => total + value, 0);
  const loopBuckets = histogramBuckets(text, EVENT_LOOP_DELAY_METRIC);
  return {
    at: (performance.now() - started) / 1000,
    loopP99Ms: previous && previous.loopBuckets.length > 0 ? histogramQuantile(previous.loopBuckets, loopBuckets, 0.99) * 1000 : NaN,
    loopMaxMs: (sample(text, "outbox_lens_nodejs_eventloop_lag_max_seconds") ?? NaN) * 1000,
    loopBuckets,
    rssMb: (sample(text, "outbox_lens_process_resident_memory_bytes") ?? NaN) / MB,
    heapUsedMb: (sample(text, "outbox_lens_nodejs_heap_size_used_bytes") ?? NaN) / MB,
    heapTotalMb: (sample(text, "outbox_lens_nodejs_heap_size_total_bytes") ?? NaN) / MB,
    externalMb: (sample(text, "outbox_lens_nodejs_external_memory_bytes") ?? NaN) / MB,
    topicRate: sum("outbox_lens_topic_messages_per_second"),
    insertRate: sample(text, "outbox_lens_outbox_insert_rate") ?? NaN,
    processedRate: sample(text, "outbox_lens_outbox_processed_rate") ?? NaN,
    groupLag: sum("outbox_lens_consumer_group_lag"),
  };
}

/** One bucket of a Prometheus histogram: samples ≤ `le` (cumulative). */
export interface HistogramBucket {
  le: number;
  count: number;
}

/** The buckets of histogram `name` in a scrape, by increasing bound (`+Inf` last). */
export function histogramBuckets(text: string, name: string): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  const prefix = `${name}_bucket{`;
  for (const line of text.split("\n")) {
    if (!line.startsWith(prefix)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    buckets.push({ le: le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), count: Number(line.slice(line.lastIndexOf(" ") + 1)) });
  }
  return buckets.sort((a, b) => a.le - b.le);
}

/**
 * The q-quantile of the samples added between two scrapes of a histogram, as Prometheus'
 * histogram_quantile computes it: linear within the bucket that holds it; the highest finite
 * bound when it lies in +Inf; NaN when nothing was added.
 */
export function histogramQuantile(before: readonly HistogramBucket[], after: readonly HistogramBucket[], q: number): number {
  const added = after.map((bucket, i) => ({ le: bucket.le, count: bucket.count - (before[i]?.count ?? 0) }));
  const total = added.at(-1)?.count ?? 0;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of added) {
    if (bucket.count >= rank) {
      if (bucket.le === Number.POSITIVE_INFINITY) return lower;
      const inBucket = bucket.count - below;
      return inBucket === 0 ? bucket.le : lower + (bucket.le - lower) * ((rank - below) / inBucket);
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
}

/** The share of the samples added between two scrapes that are ≤ `bound` (a bucket's bound). */
export function histogramShareAtMost(before: readonly HistogramBucket[], after: readonly HistogramBucket[], bound: number): number {
  const index = after.findIndex((bucket) => bucket.le === bound);
  const total = (after.at(-1)?.count ?? 0) - (before.at(-1)?.count ?? 0);
  if (index < 0 || total <= 0) return Number.NaN;
  return (after[index]!.count - (before[index]?.count ?? 0)) / total;
}

/** The event-loop delay target of the live-metrics issue: p99 ≤ 20 ms (a bound of the server's histogram). */
export const LOOP_DELAY_TARGET_S = 0.02;

/** The event-loop delay between two scrapes of the server's histogram, as the benches print it. */
export function loopDelayBetween(before: Pick<Scrape, "loopBuckets">, after: Pick<Scrape, "loopBuckets">): { p50Ms: number; p99Ms: number; p999Ms: number; withinTarget: number; samples: number } {
  const quantileMs = (q: number) => histogramQuantile(before.loopBuckets, after.loopBuckets, q) * 1000;
  return {
    p50Ms: quantileMs(0.5),
    p99Ms: quantileMs(0.99),
    p999Ms: quantileMs(0.999),
    withinTarget: histogramShareAtMost(before.loopBuckets, after.loopBuckets, LOOP_DELAY_TARGET_S),
    samples: (after.loopBuckets.at(-1)?.count ?? 0) - (before.loopBuckets.at(-1)?.count ?? 0),
  };
}
