import { describe, expect, it } from "vitest";
import type { TailBatch, TailRecordSummary } from "@/lib/contracts/tail";
import {
  LIVE_RATE_WINDOW_MS,
  TOPIC_RATE_FRESH_MS,
  applyBatches,
  clearTailList,
  initialTailList,
  pauseTailList,
  prependRecords,
  restartTailList,
  resumeTailList,
  tailRates,
} from "./tail-buffer";
import { summaryMatchesTailFilter, summaryOp } from "./tail-filter-match";

function summary(offset: number, fields: Partial<TailRecordSummary> = {}): TailRecordSummary {
  return {
    topic: "t",
    partition: 0,
    offset: String(offset),
    timestamp: 1_000 + offset,
    receivedAt: 1_000 + offset,
    kind: "change",
    op: "c",
    eventId: `e${offset}`,
    eventType: "OrderPlaced",
    aggregateType: "Order",
    aggregateId: `o${offset}`,
    status: "pending",
    key: `{"event_id":"e${offset}"}`,
    sizeBytes: 100,
    problems: 0,
    ...fields,
  };
}

/** A batch of the given offsets, newest first as the server sends them. */
function batch(offsets: number[], extra: Partial<TailBatch> = {}): TailBatch {
  const records = offsets
    .slice()
    .sort((a, b) => b - a)
    .map((offset) => summary(offset));
  return { records, readSinceLast: records.length, matchedSinceLast: records.length, recordsPerSecond: 10, sentAt: 0, ...extra };
}

const offsetsOf = (records: readonly TailRecordSummary[]) => records.map((record) => Number(record.offset));

describe("live tail list", () => {
  it("puts newer batches on top, newest first, and caps the list", () => {
    let state = initialTailList(0);
    state = applyBatches(state, [{ batch: batch([1, 2]), receivedAt: 100 }, { batch: batch([3, 4, 5]), receivedAt: 150 }], 200, 4);
    expect(offsetsOf(state.records)).toEqual([5, 4, 3, 2]);
    expect(state.dropped).toBe(1);
    expect(state).toMatchObject({ batches: 2, received: 5, matched: 5 });
    state = applyBatches(state, [{ batch: batch([6]), receivedAt: 300 }], 300, 4);
    expect(offsetsOf(state.records)).toEqual([6, 5, 4, 3]);
    expect(state.dropped).toBe(2);
  });

  it("lists a record that arrives twice once", () => {
    const { records, dropped } = prependRecords([summary(3), summary(2)], [summary(2), summary(1)], 10);
    expect(offsetsOf(records)).toEqual([3, 2, 1]);
    expect(dropped).toBe(0);
  });

  it("holds the list still while paused, counts what arrived, and shows it on resume", () => {
    let state = applyBatches(initialTailList(0), [{ batch: batch([1]), receivedAt: 10 }], 10);
    state = pauseTailList(state);
    state = applyBatches(state, [{ batch: batch([2, 3], { readSinceLast: 500, matchedSinceLast: 40 }), receivedAt: 20 }], 20);
    state = applyBatches(state, [{ batch: batch([4], { matchedSinceLast: 7 }), receivedAt: 30 }], 30);
    expect(offsetsOf(state.records)).toEqual([1]);
    expect(offsetsOf(state.held)).toEqual([4, 3, 2]);
    expect(state.arrivedWhilePaused).toBe(47);
    state = resumeTailList(state);
    expect(state.paused).toBe(false);
    expect(offsetsOf(state.records)).toEqual([4, 3, 2, 1]);
    expect(state.arrivedWhilePaused).toBe(0);
    expect(state.held).toEqual([]);
  });

  it("keeps the rows that match a new filter and restarts the counts", () => {
    let state = applyBatches(initialTailList(0), [{ batch: batch([1, 2, 3]), receivedAt: 10 }], 10);
    state = restartTailList(state, (record) => record.offset !== "2", 50);
    expect(offsetsOf(state.records)).toEqual([3, 1]);
    expect(state).toMatchObject({ batches: 0, received: 0, matched: 0, startedAt: 50 });
    expect(clearTailList(state).records).toEqual([]);
  });

  it("measures the shown and the matching rates over the window, and says when it is sampled", () => {
    let state = initialTailList(0);
    state = applyBatches(state, [{ batch: batch([1, 2], { readSinceLast: 900, matchedSinceLast: 300, recordsPerSecond: 450 }), receivedAt: 1_000 }], 1_000);
    state = applyBatches(state, [{ batch: batch([3, 4], { readSinceLast: 900, matchedSinceLast: 300, recordsPerSecond: 450 }), receivedAt: 2_000 }], 2_000);
    expect(tailRates(state)).toEqual({ topicPerSecond: 450, matchedPerSecond: 300, shownPerSecond: 2, sampled: true });
    // Quiet for longer than the window: the rates fall to 0 and the topic's rate is no longer fresh.
    state = applyBatches(state, [], 2_000 + LIVE_RATE_WINDOW_MS);
    expect(tailRates(state)).toEqual({ topicPerSecond: null, matchedPerSecond: 0, shownPerSecond: 0, sampled: false });
  });

  it("does not call an unsampled stream sampled", () => {
    const state = applyBatches(initialTailList(0), [{ batch: batch([1, 2, 3]), receivedAt: 500 }], 500 + TOPIC_RATE_FRESH_MS);
    expect(tailRates(state)).toMatchObject({ sampled: false, shownPerSecond: 1.2, matchedPerSecond: 1.2, topicPerSecond: 10 });
  });
});

describe("quick filters on rows already shown", () => {
  it("names ops as the filter does", () => {
    expect(summaryOp(summary(1, { op: "u" }))).toBe("u");
    expect(summaryOp(summary(1, { kind: "tombstone", op: null }))).toBe("tombstone");
    expect(summaryOp(summary(1, { kind: "json", op: null }))).toBe("other");
    expect(summaryOp(summary(1, { op: "unknown" }))).toBe("other");
  });

  it("matches every field, and text case-insensitively in the summary's fields", () => {
    const record = summary(7, { partition: 2, op: "u", status: "FAILED" });
    expect(summaryMatchesTailFilter(record, {})).toBe(true);
    expect(summaryMatchesTailFilter(record, { op: ["c", "u"], partition: 2, eventType: "OrderPlaced", aggregateType: "Order", aggregateId: "o7" })).toBe(true);
    expect(summaryMatchesTailFilter(record, { op: ["d"] })).toBe(false);
    expect(summaryMatchesTailFilter(record, { partition: 1 })).toBe(false);
    expect(summaryMatchesTailFilter(record, { eventType: "orderplaced" })).toBe(false);
    expect(summaryMatchesTailFilter(record, { text: "failed" })).toBe(true);
    expect(summaryMatchesTailFilter(record, { text: "E7" })).toBe(true);
    expect(summaryMatchesTailFilter(record, { text: "payload-only" })).toBe(false);
  });
});
