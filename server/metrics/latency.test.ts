import { describe, expect, it } from "vitest";
import { HOPS, metricsSnapshotSchema, type Hop, type Percentiles } from "@/lib/contracts/metrics";
import { LatencyRecorder, MAX_EVENT_TYPES, OTHER_EVENT_TYPE } from "./latency";
import { MAX_LATENCY_MS } from "./rolling-histogram";
import { exactPercentile, normal, seededRandom } from "./test-random";

const T0 = 1_700_000_000_000; // a whole second, so offsets below land in known 1-second chunks
const MAX_RELATIVE_ERROR = 0.01;

function exact(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, p50: null, p90: null, p95: null, p99: null, max: null };
  return {
    count: sorted.length,
    p50: exactPercentile(sorted, 50),
    p90: exactPercentile(sorted, 90),
    p95: exactPercentile(sorted, 95),
    p99: exactPercentile(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

function expectWithinOnePercent(actual: Percentiles, expected: Percentiles): void {
  expect(actual.count).toBe(expected.count);
  for (const key of ["p50", "p90", "p95", "p99", "max"] as const) {
    const want = expected[key];
    const got = actual[key];
    if (want === null) {
      expect(got, key).toBeNull();
      continue;
    }
    expect(got, key).not.toBeNull();
    expect(Math.abs(got! - want), `${key}: ${got} vs exact ${want}`).toBeLessThanOrEqual(want * MAX_RELATIVE_ERROR);
  }
}

const random = seededRandom(42);
const DISTRIBUTIONS: Record<string, () => number[]> = {
  "uniform 1-1,000 ms": () => Array.from({ length: 20_000 }, () => 1 + random() * 999),
  "lognormal, median 40 ms": () => Array.from({ length: 20_000 }, () => 40 * Math.exp(normal(random))),
  "bimodal 5 ms / 800 ms": () =>
    Array.from({ length: 20_000 }, () => (random() < 0.85 ? Math.abs(5 + normal(random)) + 0.5 : 800 + 60 * normal(random))),
  "sub-millisecond": () => Array.from({ length: 5_000 }, () => 0.05 + random() * 0.9),
  "one sample": () => [123.456],
  "no samples": () => [],
};

describe("LatencyRecorder percentiles", () => {
  for (const [name, generate] of Object.entries(DISTRIBUTIONS)) {
    it(`are within 1 % of the exact nearest-rank percentiles: ${name}`, () => {
      const values = generate();
      const recorder = new LatencyRecorder();
      // Spread over the last 50 s: inside every window.
      values.forEach((value, i) => recorder.record("endToEnd", "UserCreated", value, T0 + Math.floor((i / Math.max(1, values.length)) * 50_000)));
      const snapshot = recorder.snapshot(T0 + 50_000);
      const expected = exact(values);
      for (const window of ["1m", "5m", "15m"] as const) expectWithinOnePercent(snapshot.hops.endToEnd[window], expected);
      if (values.length > 0) expectWithinOnePercent(snapshot.byEventType.UserCreated!.endToEnd, expected);
      else expect(snapshot.byEventType).toEqual({});
    });
  }

  it("keeps hops apart", () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 100; i++) recorder.record("capture", "UserCreated", 10, T0 + i);
    recorder.record("kafkaToProcessed", "UserCreated", 500, T0 + 200);
    const { hops, byEventType } = recorder.snapshot(T0 + 1_000);
    expect(hops.capture["1m"].count).toBe(100);
    expect(hops.capture["1m"].max).toBeCloseTo(10, 1);
    expect(hops.kafkaToProcessed["5m"].count).toBe(1);
    expect(hops.kafkaToProcessed["5m"].p50).toBeCloseTo(500, -1);
    expect(hops.outboxToKafka["15m"].count).toBe(0);
    expect(hops.endToEnd["1m"].p99).toBeNull();
    expect(byEventType.UserCreated!.capture.count).toBe(100);
    expect(byEventType.UserCreated!.endToEnd.count).toBe(0);
  });

  it("produces what the snapshot contract accepts", () => {
    const recorder = new LatencyRecorder();
    recorder.record("capture", "UserCreated", 12, T0);
    const latency = recorder.snapshot(T0 + 500);
    expect(metricsSnapshotSchema.shape.latency.safeParse(latency).success).toBe(true);
  });
});

describe("LatencyRecorder windows", () => {
  function countsAt(recorder: LatencyRecorder, nowMs: number) {
    const { hops, byEventType } = recorder.snapshot(nowMs);
    return {
      "1m": hops.capture["1m"].count,
      "5m": hops.capture["5m"].count,
      "15m": hops.capture["15m"].count,
      byType: byEventType.UserCreated?.capture.count ?? 0,
    };
  }

  it("drops samples once they are older than each window", () => {
    const recorder = new LatencyRecorder();
    recorder.record("capture", "UserCreated", 7, T0);
    expect(countsAt(recorder, T0)).toEqual({ "1m": 1, "5m": 1, "15m": 1, byType: 1 });
    expect(countsAt(recorder, T0 + 60_001)).toEqual({ "1m": 0, "5m": 1, "15m": 1, byType: 1 });
    expect(countsAt(recorder, T0 + 300_001)).toEqual({ "1m": 0, "5m": 0, "15m": 1, byType: 0 });
    expect(countsAt(recorder, T0 + 900_001)).toEqual({ "1m": 0, "5m": 0, "15m": 0, byType: 0 });
  });

  it("keeps samples younger than the window minus one chunk", () => {
    const recorder = new LatencyRecorder();
    recorder.record("capture", "UserCreated", 7, T0);
    // In time order: the recorder's clock only moves forward.
    expect(countsAt(recorder, T0 + 58_999)["1m"]).toBe(1);
    expect(countsAt(recorder, T0 + 269_999).byType).toBe(1);
    expect(countsAt(recorder, T0 + 289_999)["5m"]).toBe(1);
    expect(countsAt(recorder, T0 + 889_999)["15m"]).toBe(1);
  });

  it("replaces old percentiles by new ones as the window slides", () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 50; i++) recorder.record("capture", "UserCreated", 1_000, T0 + i * 100);
    for (let i = 0; i < 50; i++) recorder.record("capture", "UserCreated", 10, T0 + 30_000 + i * 100);
    expect(recorder.snapshot(T0 + 40_000).hops.capture["1m"].p99).toBeCloseTo(1_000, -1);
    const later = recorder.snapshot(T0 + 75_000).hops.capture["1m"];
    expect(later.count).toBe(50);
    expect(later.max).toBeCloseTo(10, 1);
  });
});

describe("LatencyRecorder last second", () => {
  it("gives p50 and p99 of the last complete second per hop, null for hops without samples", () => {
    const recorder = new LatencyRecorder();
    for (let i = 1; i <= 100; i++) recorder.record("outboxToKafka", "UserCreated", i, T0 + 4_000 + i * 5);
    recorder.record("outboxToKafka", "UserCreated", 9_999, T0 + 5_100); // the current second: not yet
    const { p50, p99 } = recorder.lastSecond(T0 + 5_200);
    expect(p50.outboxToKafka).toBeCloseTo(50, 0);
    expect(p99.outboxToKafka).toBeCloseTo(99, 0);
    for (const hop of HOPS.filter((h): h is Exclude<Hop, "outboxToKafka"> => h !== "outboxToKafka")) {
      expect(p50[hop]).toBeNull();
      expect(p99[hop]).toBeNull();
    }
    expect(recorder.lastSecond(T0 + 7_000).p50.outboxToKafka).toBeNull();
  });
});

describe("LatencyRecorder bounds", () => {
  it("records negative values as 0 and counts them as clock skew, per hop", () => {
    const recorder = new LatencyRecorder();
    recorder.record("capture", "UserCreated", -3, T0);
    recorder.record("capture", "UserCreated", 5, T0);
    const { hops } = recorder.snapshot(T0);
    expect(hops.capture["1m"]).toMatchObject({ count: 2, p50: 0 });
    expect(recorder.counters().clockSkewSamples).toEqual({ capture: 1, outboxToKafka: 0, kafkaToProcessed: 0, endToEnd: 0 });
  });

  it("caps values above the range, drops non-numbers, and counts both", () => {
    const recorder = new LatencyRecorder();
    recorder.record("endToEnd", "UserCreated", MAX_LATENCY_MS * 3, T0);
    recorder.record("endToEnd", "UserCreated", Number.NaN, T0);
    recorder.record("endToEnd", "UserCreated", Number.POSITIVE_INFINITY, T0);
    const { hops } = recorder.snapshot(T0);
    expect(hops.endToEnd["1m"].count).toBe(1);
    expect(hops.endToEnd["1m"].max!).toBeCloseTo(MAX_LATENCY_MS, -6);
    const counters = recorder.counters();
    expect(counters.overRangeSamples.endToEnd).toBe(1);
    expect(counters.invalidSamples.endToEnd).toBe(2);
  });

  it(`tracks at most ${MAX_EVENT_TYPES} event types and counts the rest as "${OTHER_EVENT_TYPE}"`, () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < MAX_EVENT_TYPES + 3; i++) recorder.record("capture", `Type${i}`, 10 + i, T0);
    recorder.record("capture", "Type0", 10, T0);
    const { byEventType } = recorder.snapshot(T0);
    expect(Object.keys(byEventType)).toHaveLength(MAX_EVENT_TYPES + 1);
    expect(byEventType[OTHER_EVENT_TYPE]!.capture.count).toBe(3);
    expect(byEventType.Type0!.capture.count).toBe(2);
    expect(recorder.counters().otherEventTypeSamples).toBe(3);
  });

  it("frees the place of an event type whose window emptied, for types seen later", () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < MAX_EVENT_TYPES; i++) recorder.record("capture", `Old${i}`, 10, T0);
    recorder.snapshot(T0 + 301_000);
    expect(recorder.trackedEventTypes).toEqual([]);
    recorder.record("capture", "New", 10, T0 + 302_000);
    expect(Object.keys(recorder.snapshot(T0 + 302_000).byEventType)).toEqual(["New"]);
    expect(recorder.counters().otherEventTypeSamples).toBe(0);
  });
});
