import { describe, expect, it } from "vitest";
import type { HistoryPoint } from "@/lib/contracts/metrics";
import { groupIdsIn, groupLagKey, groupRows, lagRows, latencyKey, latencyRows, latestValue } from "./series";

const hops = { capture: null, outboxToKafka: null, kafkaToProcessed: null, endToEnd: null };

function point(at: number, groupLag: Record<string, number>, extra: Partial<HistoryPoint> = {}): HistoryPoint {
  return {
    at,
    topicMessagesPerSec: 1,
    insertRate: 1,
    processedRate: 1,
    failedRate: 0,
    pending: 3,
    failed: 0,
    slotLagBytes: 1024,
    groupLag,
    groupTimeLagMs: Object.fromEntries(Object.keys(groupLag).map((id) => [id, 10])),
    latencyP50: hops,
    latencyP99: hops,
    ...extra,
  };
}

describe("lag series", () => {
  const points = [point(1, { a: 5 }), point(2, { a: 6, b: 1 }), point(3, { b: 0 })];

  it("lists every group seen, in order of appearance", () => {
    expect(groupIdsIn(points)).toEqual(["a", "b"]);
  });

  it("leaves a gap where a group is absent, never 0", () => {
    const rows = lagRows(points, ["a", "b"]);
    expect(rows.map((row) => row[groupLagKey("a")])).toEqual([5, 6, null]);
    expect(rows.map((row) => row[groupLagKey("b")])).toEqual([null, 1, 0]);
    expect(rows[0]?.slotLagBytes).toBe(1024);
  });

  it("builds one group's lag and time lag", () => {
    expect(groupRows(points, "b")).toEqual([
      { at: 1, lag: null, timeLagMs: null },
      { at: 2, lag: 1, timeLagMs: 10 },
      { at: 3, lag: 0, timeLagMs: 10 },
    ]);
  });
});

describe("latencyRows", () => {
  it("carries p50 and p99 of every hop", () => {
    const rows = latencyRows([point(1, {}, { latencyP50: { ...hops, capture: 12 }, latencyP99: { ...hops, capture: 40, endToEnd: 900 } })]);
    expect(rows[0]?.[latencyKey("capture", "p50")]).toBe(12);
    expect(rows[0]?.[latencyKey("capture", "p99")]).toBe(40);
    expect(rows[0]?.[latencyKey("endToEnd", "p99")]).toBe(900);
    expect(rows[0]?.[latencyKey("endToEnd", "p50")]).toBeNull();
  });
});

describe("latestValue", () => {
  it("is the newest known value", () => {
    expect(latestValue([{ at: 1, x: 3 }, { at: 2, x: 4 }, { at: 3, x: null }], "x")).toBe(4);
    expect(latestValue([{ at: 1, x: null }], "x")).toBeNull();
  });
});
