import type { HealthReport } from "@/lib/contracts/health";
import { describeError } from "@/lib/errors/describe-error";

export type HealthListener = (report: HealthReport, previous: HealthReport | null) => void;

export interface HealthMonitorOptions {
  /** Pause between the end of one check and the start of the next. */
  intervalMs: number;
  /** Reports a listener's exception; a faulty listener must not stop the polling. */
  onListenerError?: (error: string) => void;
  /** Monotonic clock, in ms; injectable for tests. */
  now?: () => number;
}

/**
 * Polls the pipeline's health and keeps the latest report.
 *
 * Checks never overlap: the next one is scheduled when the previous one has settled, so a slow
 * component (each check has its own deadline) stretches the period instead of piling up checks.
 * {@link check} is single-flight, so any number of concurrent callers (HTTP requests, the poller)
 * cost one check.
 */
export class HealthMonitor {
  readonly #runCheck: () => Promise<HealthReport>;
  readonly #intervalMs: number;
  readonly #onListenerError: (error: string) => void;
  readonly #now: () => number;
  readonly #listeners = new Set<HealthListener>();
  #latest: { report: HealthReport; completedAt: number } | null = null;
  #inFlight: Promise<HealthReport> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;

  constructor(runCheck: () => Promise<HealthReport>, options: HealthMonitorOptions) {
    this.#runCheck = runCheck;
    this.#intervalMs = options.intervalMs;
    this.#onListenerError = options.onListenerError ?? (() => undefined);
    this.#now = options.now ?? (() => performance.now());
  }

  /** The latest report, or null before the first check completed. */
  latest(): HealthReport | null {
    return this.#latest?.report ?? null;
  }

  /** Runs a check now, or joins the one in flight. */
  check(): Promise<HealthReport> {
    if (this.#inFlight) return this.#inFlight;
    const inFlight = this.#runCheck().then((report) => {
      const previous = this.latest();
      this.#latest = { report, completedAt: this.#now() };
      this.#notify(report, previous);
      return report;
    });
    this.#inFlight = inFlight.finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** The latest report if it completed at most `maxAgeMs` ago, else a fresh one. */
  async reportNoOlderThan(maxAgeMs: number): Promise<HealthReport> {
    if (this.#latest && this.#now() - this.#latest.completedAt <= maxAgeMs) return this.#latest.report;
    return this.check();
  }

  /** Calls `listener` after every completed check. Returns the unsubscribe function. */
  subscribe(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts polling with an immediate first check. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#poll();
  }

  /** Stops polling and waits for a check in flight, so shutdown closes clients that are idle. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#inFlight?.catch(() => undefined);
  }

  async #poll(): Promise<void> {
    try {
      await this.check();
    } catch (error) {
      // The probes never throw by contract; this guards the loop against a broken one.
      this.#onListenerError(`health check failed: ${describeError(error)}`);
    }
    if (this.#running) this.#timer = setTimeout(() => void this.#poll(), this.#intervalMs);
  }

  #notify(report: HealthReport, previous: HealthReport | null): void {
    for (const listener of this.#listeners) {
      try {
        listener(report, previous);
      } catch (error) {
        this.#onListenerError(`health listener failed: ${describeError(error)}`);
      }
    }
  }
}
