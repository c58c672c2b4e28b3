import { describe, expect, it } from "vitest";
import type { HistoryPoint } from "@/lib/contracts/metrics";
import { CHART_RANGES, rangeSeconds, selectRange } from "./time-range";

function point(at: number): HistoryPoint {
  return {
    at,
    topicMessagesPerSec: null,
    insertRate: null,
    processedRate: null,
    failedRate: null,
    pending: null,
    failed: null,
    slotLagBytes: null,
    groupLag: {},
    groupTimeLagMs: {},
    latencyP50: { capture: null, outboxToKafka: null, kafkaToProcessed: null, endToEnd: null },
    latencyP99: { capture: null, outboxToKafka: null, kafkaToProcessed: null, endToEnd: null },
  };
}

const history = Array.from({ length: 900 }, (_, index) => point(1_000_000 + index * 1_000));

describe("selectRange", () => {
  it("ends at the newest point and keeps the points inside the window", () => {
    const selected = selectRange(history, 60);
    expect(selected?.domain).toEqual([1_000_000 + 899_000 - 60_000, 1_000_000 + 899_000]);
    expect(selected?.points).toHaveLength(61);
    expect(selected?.points[0]?.at).toBe(1_000_000 + 839_000);
  });

  it("keeps all of a history shorter than the window, with the full domain", () => {
    const short = history.slice(0, 30);
    const selected = selectRange(short, 300);
    expect(selected?.points).toBe(short);
    expect(selected?.domain).toEqual([1_029_000 - 300_000, 1_029_000]);
  });

  it("is null without a point", () => {
    expect(selectRange([], 60)).toBeNull();
  });
});

describe("CHART_RANGES", () => {
  it("offers 1, 5 and 15 minutes", () => {
    expect(CHART_RANGES.map((range) => range.seconds)).toEqual([60, 300, 900]);
    expect(rangeSeconds("15m")).toBe(900);
  });
});
