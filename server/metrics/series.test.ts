import { describe, expect, it } from "vitest";
import { HISTORY_SECONDS, historyPointSchema, type HistoryPoint } from "@/lib/contracts/metrics";
import { HistorySeries, downsample } from "./series";

const T0 = 1_700_000_000_000;

function point(second: number, overrides: Partial<HistoryPoint> = {}): HistoryPoint {
  return {
    at: T0 + second * 1_000,
    topicMessagesPerSec: 100,
    insertRate: 100,
    processedRate: 98,
    failedRate: 2,
    pending: 10,
    failed: 5,
    slotLagBytes: 4_096,
    groupLag: { processor: 3 },
    groupTimeLagMs: { processor: 20 },
    latencyP50: { capture: 5, outboxToKafka: 8, kafkaToProcessed: 12, endToEnd: 25 },
    latencyP99: { capture: 9, outboxToKafka: 15, kafkaToProcessed: 40, endToEnd: 70 },
    ...overrides,
  };
}

const seconds = (points: readonly HistoryPoint[]) => points.map((p) => (p.at - T0) / 1_000);

describe("HistorySeries", () => {
  it("keeps the newest points up to its capacity, oldest first", () => {
    const series = new HistorySeries(5);
    expect(series.toArray()).toEqual([]);
    expect(series.newest).toBeNull();
    for (let s = 0; s < 8; s++) series.push(point(s));
    expect(seconds(series.toArray())).toEqual([3, 4, 5, 6, 7]);
    expect(series.size).toBe(5);
    expect(seconds([series.newest!])).toEqual([7]);
  });

  it("holds 15 minutes at one point a second by default", () => {
    const series = new HistorySeries();
    for (let s = 0; s < HISTORY_SECONDS + 100; s++) series.push(point(s));
    expect(series.capacity).toBe(HISTORY_SECONDS);
    const points = series.toArray();
    expect(points).toHaveLength(HISTORY_SECONDS);
    expect(seconds([points[0]!, points.at(-1)!])).toEqual([100, HISTORY_SECONDS + 99]);
  });

  it("returns the points strictly after a time, across the ring's wrap", () => {
    const series = new HistorySeries(6);
    for (let s = 0; s < 10; s++) series.push(point(s));
    expect(seconds(series.since(T0 + 6_000))).toEqual([7, 8, 9]);
    expect(seconds(series.since(T0 + 6_500))).toEqual([7, 8, 9]);
    expect(seconds(series.since(0))).toEqual([4, 5, 6, 7, 8, 9]);
    expect(series.since(T0 + 9_000)).toEqual([]);
  });

  it("replaces a point of the same second and drops the future when the clock is set back", () => {
    const series = new HistorySeries(10);
    for (let s = 0; s < 5; s++) series.push(point(s));
    series.push(point(4, { pending: 99 }));
    expect(seconds(series.toArray())).toEqual([0, 1, 2, 3, 4]);
    expect(series.newest!.pending).toBe(99);
    series.push(point(2));
    expect(seconds(series.toArray())).toEqual([0, 1, 2]);
  });
});

describe("downsample", () => {
  it("returns the points unchanged when they fit", () => {
    const points = [point(0), point(1)];
    expect(downsample(points, 2)).toEqual(points);
    expect(downsample([], 10)).toEqual([]);
  });

  it("returns at most maxPoints, aligned so the newest point ends the last run", () => {
    const points = Array.from({ length: 900 }, (_, s) => point(s));
    const reduced = downsample(points, 320);
    expect(reduced.length).toBeLessThanOrEqual(320);
    expect(reduced.length).toBe(300); // runs of 3
    expect(seconds([reduced.at(-1)!])).toEqual([899]);
    expect(seconds([reduced[0]!])).toEqual([2]);
    expect(downsample(points, 7).length).toBeLessThanOrEqual(7);
  });

  it("averages throughputs and keeps the maximum of levels and latencies, so a one-second spike survives", () => {
    const points = [
      point(0, { insertRate: 100, pending: 10, latencyP99: { capture: 9, outboxToKafka: 15, kafkaToProcessed: 40, endToEnd: 70 } }),
      point(1, { insertRate: 400, pending: 5_000, latencyP99: { capture: 9, outboxToKafka: 15, kafkaToProcessed: 40, endToEnd: 9_000 } }),
      point(2, { insertRate: 100, pending: 12 }),
      point(3, { insertRate: 100, pending: 12 }),
    ];
    const [merged] = downsample(points, 1);
    expect(merged!.at).toBe(points[3]!.at);
    expect(merged!.insertRate).toBe(175);
    expect(merged!.pending).toBe(5_000);
    expect(merged!.latencyP99.endToEnd).toBe(9_000);
    expect(historyPointSchema.safeParse(merged).success).toBe(true);
  });

  it("ignores nulls and keeps a gap a gap", () => {
    const points = [
      point(0, { processedRate: null, slotLagBytes: null, groupTimeLagMs: { processor: null } }),
      point(1, { processedRate: 50, slotLagBytes: null, groupTimeLagMs: { processor: null } }),
    ];
    const [merged] = downsample(points, 1);
    expect(merged!.processedRate).toBe(50);
    expect(merged!.slotLagBytes).toBeNull();
    expect(merged!.groupTimeLagMs).toEqual({ processor: null });
  });

  it("merges groups that appear in only part of a run", () => {
    const points = [point(0, { groupLag: { a: 4 } }), point(1, { groupLag: { a: 2, b: 7 } })];
    expect(downsample(points, 1)[0]!.groupLag).toEqual({ a: 4, b: 7 });
  });
});
