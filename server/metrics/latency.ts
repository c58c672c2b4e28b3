import type { Histogram } from "hdr-histogram-js";
import { HOPS, type Hop, type HopLatency, type LatencyWindow, type Percentiles } from "@/lib/contracts/metrics";
import { MAX_LATENCY_MS, RollingHistogram, UNITS_PER_MS } from "./rolling-histogram";

/**
 * Per-hop latency percentiles over sliding windows (1m, 5m, 15m), per event type over 5m, and the
 * last second's p50/p99 for the charts. Values are milliseconds; relative error ≤ 0.8 %
 * (HdrHistogram with 2 significant digits, see rolling-histogram.ts).
 *
 * Time resolution, chosen per use for bounded memory (each histogram is ~17 kB whatever its count):
 *  - 1m per hop: 1-second chunks; the window holds the last 59-60 s.
 *  - 5m and 15m per hop: 10-second chunks; the windows hold the last 290-300 s and 890-900 s.
 *  - 5m per event type: 30-second chunks; the window holds the last 270-300 s.
 *  - last second: the 1-second chunk before the current one (the last complete second).
 * Worst case, every chunk holding samples: 4 hops × (60 + 90 + 3) histograms ≈ 10 MB, plus
 * (MAX_EVENT_TYPES + 1) × 4 hops × 11 histograms ≈ 13 MB (measured: 23 MB with 20 event types
 * over 15 minutes). Cost: 7 histogram writes per sample (~0.2 µs each), 3.8 µs per sample measured
 * with snapshots included; a snapshot with lastSecond ~2 ms.
 *
 * hdr-histogram-js is used in its pure-JS form: its WebAssembly form works in Node 20 and tsx
 * after `await initWebAssembly()` and records ~1.6× faster, but every histogram must then be
 * freed with destroy() (WebAssembly memory is not garbage-collected), for a saving of well under
 * a millisecond a second at our rates.
 *
 * Clock skew: a hop subtracts clocks of different machines, so it can come out negative. Such a
 * sample is recorded as 0 ms, so it still counts in the percentiles, and counted per hop in
 * {@link LatencyDiagnostics.clockSkewSamples}: a dashboard full of 0 ms latencies should say why.
 */

/**
 * Event types tracked separately; samples of further types are counted under {@link OTHER_EVENT_TYPE}.
 * The type comes from the data (any string a producer writes), so without a bound a misbehaving
 * producer would grow memory without limit.
 */
export const MAX_EVENT_TYPES = 16;
/** Where the samples of event types beyond {@link MAX_EVENT_TYPES} go; the same label as the topic's per-type rates (server/kafka/per-second.ts). */
export const OTHER_EVENT_TYPE = "(other)";

const WINDOW_MS: Record<LatencyWindow, number> = { "1m": 60_000, "5m": 300_000, "15m": 900_000 };
const SECOND_CHUNK_MS = 1_000;
const HOP_CHUNK_MS = 10_000;
const EVENT_TYPE_CHUNK_MS = 30_000;
/** The window of the per-event-type breakdown. */
export const EVENT_TYPE_WINDOW: LatencyWindow = "5m";

export interface LatencySnapshot {
  hops: Record<Hop, HopLatency>;
  /** Over {@link EVENT_TYPE_WINDOW}; only types with samples in it. */
  byEventType: Record<string, Record<Hop, Percentiles>>;
}

export interface LastSecondLatency {
  p50: Record<Hop, number | null>;
  p99: Record<Hop, number | null>;
}

/** Counters since start (monotonic, for /metrics): samples that were not recorded as given. */
export interface LatencyDiagnostics {
  /** Negative values (clock skew between machines), recorded as 0. */
  clockSkewSamples: Record<Hop, number>;
  /** Values above MAX_LATENCY_MS, recorded as that. */
  overRangeSamples: Record<Hop, number>;
  /** NaN or infinite values, dropped. */
  invalidSamples: Record<Hop, number>;
  /** Samples counted under OTHER_EVENT_TYPE because MAX_EVENT_TYPES types were already tracked. */
  otherEventTypeSamples: number;
}

interface HopWindows {
  /** 1m window, and the last second. */
  seconds: RollingHistogram;
  /** 5m and 15m windows. */
  tenSeconds: RollingHistogram;
}

const EMPTY_PERCENTILES: Percentiles = Object.freeze({ count: 0, p50: null, p90: null, p95: null, p99: null, max: null });

export class LatencyRecorder {
  private readonly hops: Record<Hop, HopWindows>;
  private readonly eventTypes = new Map<string, Partial<Record<Hop, RollingHistogram>>>();
  private readonly diagnostics: LatencyDiagnostics = {
    clockSkewSamples: perHop(() => 0),
    overRangeSamples: perHop(() => 0),
    invalidSamples: perHop(() => 0),
    otherEventTypeSamples: 0,
  };

  constructor() {
    this.hops = perHop(() => ({
      seconds: new RollingHistogram(SECOND_CHUNK_MS, [WINDOW_MS["1m"]]),
      tenSeconds: new RollingHistogram(HOP_CHUNK_MS, [WINDOW_MS["5m"], WINDOW_MS["15m"]]),
    }));
  }

  /**
   * One latency sample: `valueMs` of `hop` for an event of `eventType`, observed at `atMs` (epoch
   * ms; the time the sample became known, which places it in the windows).
   */
  record(hop: Hop, eventType: string, valueMs: number, atMs: number): void {
    if (!Number.isFinite(valueMs) || !Number.isFinite(atMs)) {
      this.diagnostics.invalidSamples[hop] += 1;
      return;
    }
    let ms = valueMs;
    if (ms < 0) {
      this.diagnostics.clockSkewSamples[hop] += 1;
      ms = 0;
    } else if (ms > MAX_LATENCY_MS) {
      this.diagnostics.overRangeSamples[hop] += 1;
      ms = MAX_LATENCY_MS;
    }
    const value = Math.round(ms * UNITS_PER_MS);
    const windows = this.hops[hop];
    windows.seconds.record(value, atMs);
    windows.tenSeconds.record(value, atMs);

    const byHop = this.eventTypeHistograms(eventType);
    byHop[hop] ??= new RollingHistogram(EVENT_TYPE_CHUNK_MS, [WINDOW_MS[EVENT_TYPE_WINDOW]]);
    byHop[hop].record(value, atMs);
  }

  /** Percentiles per hop and window, and per event type over 5m, as of `nowMs`. */
  snapshot(nowMs: number): LatencySnapshot {
    const hops = perHop((hop): HopLatency => {
      const { seconds, tenSeconds } = this.hops[hop];
      seconds.advance(nowMs);
      tenSeconds.advance(nowMs);
      return {
        "1m": percentiles(seconds.window(0)),
        "5m": percentiles(tenSeconds.window(0)),
        "15m": percentiles(tenSeconds.window(1)),
      };
    });

    const byEventType: Record<string, Record<Hop, Percentiles>> = {};
    for (const [eventType, byHop] of this.eventTypes) {
      for (const rolling of Object.values(byHop)) rolling.advance(nowMs);
      if (Object.values(byHop).every((rolling) => rolling.empty)) {
        // Nothing left in its window: the slot goes back to the pool for types seen later.
        this.eventTypes.delete(eventType);
        continue;
      }
      byEventType[eventType] = perHop((hop) => {
        const rolling = byHop[hop];
        return rolling ? percentiles(rolling.window(0)) : EMPTY_PERCENTILES;
      });
    }
    return { hops, byEventType };
  }

  /** p50 and p99 per hop over the last complete second before `nowMs`; null for a hop without samples in it. */
  lastSecond(nowMs: number): LastSecondLatency {
    const p50 = perHop((): number | null => null);
    const p99 = perHop((): number | null => null);
    for (const hop of HOPS) {
      const { seconds } = this.hops[hop];
      seconds.advance(nowMs);
      const second = seconds.chunkAt(nowMs - SECOND_CHUNK_MS);
      if (!second) continue;
      p50[hop] = toMs(second.getValueAtPercentile(50));
      p99[hop] = toMs(second.getValueAtPercentile(99));
    }
    return { p50, p99 };
  }

  /** Counters of samples not recorded as given (copies). */
  counters(): LatencyDiagnostics {
    return {
      clockSkewSamples: { ...this.diagnostics.clockSkewSamples },
      overRangeSamples: { ...this.diagnostics.overRangeSamples },
      invalidSamples: { ...this.diagnostics.invalidSamples },
      otherEventTypeSamples: this.diagnostics.otherEventTypeSamples,
    };
  }

  /** Event types tracked separately right now (OTHER_EVENT_TYPE included when in use). */
  get trackedEventTypes(): string[] {
    return [...this.eventTypes.keys()];
  }

  private eventTypeHistograms(eventType: string): Partial<Record<Hop, RollingHistogram>> {
    const known = this.eventTypes.get(eventType);
    if (known) return known;
    let name = eventType;
    // "other" itself does not take one of the MAX_EVENT_TYPES places.
    const tracked = this.eventTypes.size - (this.eventTypes.has(OTHER_EVENT_TYPE) ? 1 : 0);
    if (name !== OTHER_EVENT_TYPE && tracked >= MAX_EVENT_TYPES) {
      this.diagnostics.otherEventTypeSamples += 1;
      name = OTHER_EVENT_TYPE;
      const other = this.eventTypes.get(name);
      if (other) return other;
    }
    const created: Partial<Record<Hop, RollingHistogram>> = {};
    this.eventTypes.set(name, created);
    return created;
  }
}

function perHop<T>(make: (hop: Hop) => T): Record<Hop, T> {
  return Object.fromEntries(HOPS.map((hop) => [hop, make(hop)])) as Record<Hop, T>;
}

function toMs(value: number): number {
  return value / UNITS_PER_MS;
}

/**
 * Nearest-rank percentiles (the value at rank ⌈p·n⌉ of the sorted samples), as HdrHistogram
 * defines them; each is the highest value equivalent to that sample's bucket.
 */
export function percentiles(histogram: Histogram): Percentiles {
  const count = histogram.totalCount;
  if (count === 0) return EMPTY_PERCENTILES;
  return {
    count,
    p50: toMs(histogram.getValueAtPercentile(50)),
    p90: toMs(histogram.getValueAtPercentile(90)),
    p95: toMs(histogram.getValueAtPercentile(95)),
    p99: toMs(histogram.getValueAtPercentile(99)),
    max: toMs(histogram.maxValue),
  };
}
