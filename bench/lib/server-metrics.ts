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
   * Event-loop delay p99 and max since the previous scrape: prom-client resets its histogram on
   * every collection, so each scrape covers the interval since the one before (when nothing else scrapes).
   */
  loopP99Ms: number;
  loopMaxMs: number;
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
export async function scrape(url: string, started: number, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${url}/metrics`, { headers, signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const text = await response.text();
  const sum = (name: string) => samples(text, name).reduce((total, value) => total + value, 0);
  return {
    at: (performance.now() - started) / 1000,
    loopP99Ms: (sample(text, "outbox_lens_nodejs_eventloop_lag_p99_seconds") ?? NaN) * 1000,
    loopMaxMs: (sample(text, "outbox_lens_nodejs_eventloop_lag_max_seconds") ?? NaN) * 1000,
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
