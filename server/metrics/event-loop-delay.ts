import { Histogram, type Registry } from "prom-client";

/**
 * The process's event-loop delay as a cumulative Prometheus histogram,
 * `outbox_lens_event_loop_delay_seconds`: a timer every SAMPLE_INTERVAL_MS records how late it
 * fired (what Node's monitorEventLoopDelay measures). prom-client's own gauges
 * (`…_nodejs_eventloop_lag_p99_seconds`) cover only the time since the previous scrape, and each
 * scrape resets them, so two scrapers (Prometheus and a bench, two Prometheus replicas) each see
 * part of the samples. Buckets never reset: any window's quantiles come from the difference of
 * two scrapes (`histogram_quantile(0.99, rate(outbox_lens_event_loop_delay_seconds_bucket[5m]))`).
 */

/** Resolution of the samples; prom-client's event-loop monitor uses the same. 100 timer callbacks a second cost microseconds. */
export const SAMPLE_INTERVAL_MS = 10;

/** Bucket bounds, seconds: fine around the 20 ms target of a busy server, coarse beyond a second. */
export const EVENT_LOOP_DELAY_BUCKETS_S = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5];

export const EVENT_LOOP_DELAY_METRIC = "outbox_lens_event_loop_delay_seconds";

export class EventLoopDelayHistogram {
  readonly #histogram: Histogram;
  #timer: NodeJS.Timeout | null = null;

  constructor(registry: Registry) {
    this.#histogram = new Histogram({
      name: EVENT_LOOP_DELAY_METRIC,
      help: `How late a timer due every ${SAMPLE_INTERVAL_MS} ms fired (event-loop delay), since the process started.`,
      buckets: EVENT_LOOP_DELAY_BUCKETS_S,
      registers: [registry],
    });
  }

  /** Records one sample: the timer fired `delayMs` after it was due. */
  observe(delayMs: number): void {
    this.#histogram.observe(Math.max(0, delayMs) / 1000);
  }

  start(): void {
    if (this.#timer) return;
    let due = performance.now() + SAMPLE_INTERVAL_MS;
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.observe(now - due);
      due = now + SAMPLE_INTERVAL_MS;
    }, SAMPLE_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
