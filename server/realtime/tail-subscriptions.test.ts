import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TailBatch } from "@/lib/contracts/tail";
import { MAX_TAIL_FILTERS, TailSubscriptions, tailFilterKey } from "./tail-subscriptions";
import type { DecodedRecord } from "@/lib/debezium";
import { changeRecord } from "./test-records";

const record = changeRecord;

describe("TailSubscriptions", () => {
  let sent: { id: string; batch: TailBatch }[];
  let read: number;
  let subscriptions: TailSubscriptions;

  beforeEach(() => {
    vi.useFakeTimers({ now: 50_000 });
    sent = [];
    read = 0;
    subscriptions = new TailSubscriptions({ send: (id, batch) => sent.push({ id, batch }), recordsRead: () => read });
  });
  afterEach(() => {
    subscriptions.stop();
    vi.useRealTimers();
  });

  /** The tail reading `records`: counted, then handed to the sink, as TopicTail does. */
  function tail(records: DecodedRecord[]): void {
    for (const r of records) {
      subscriptions.accept(r, Date.now());
      read += 1;
    }
  }

  it("sends each subscriber only what passes its filter, with the counts read and matched", async () => {
    subscriptions.subscribe("all", undefined);
    subscriptions.subscribe("rare", { eventType: "Rare" });
    tail([record(1, "Common"), record(2, "Rare"), record(3, "Common")]);
    await vi.advanceTimersByTimeAsync(200);
    const all = sent.filter((s) => s.id === "all").flatMap((s) => s.batch.records.map((r) => r.offset));
    const rare = sent.filter((s) => s.id === "rare");
    expect(all.sort()).toEqual(["1", "2", "3"]);
    expect(rare.flatMap((s) => s.batch.records.map((r) => r.eventType))).toEqual(["Rare"]);
    expect(rare.reduce((sum, s) => sum + s.batch.matchedSinceLast, 0)).toBe(1);
    expect(rare.reduce((sum, s) => sum + s.batch.readSinceLast, 0)).toBeGreaterThanOrEqual(2);
  });

  it("shares one group among subscribers of the same filter, and drops it with the last one", () => {
    subscriptions.subscribe("a", { op: ["u", "c"], partition: 1 });
    subscriptions.subscribe("b", { partition: 1, op: ["c", "u"] });
    expect(subscriptions.filters).toBe(1);
    subscriptions.subscribe("a", { partition: 2 });
    expect(subscriptions.filters).toBe(2);
    subscriptions.unsubscribe("a");
    subscriptions.unsubscribe("b");
    expect(subscriptions.filters).toBe(0);
    expect(tailFilterKey({})).toBe("");
  });

  it("refuses more distinct filters than it follows", () => {
    for (let i = 0; i < MAX_TAIL_FILTERS; i++) expect(subscriptions.subscribe(`s${i}`, { aggregateId: `a${i}` })).toBeNull();
    expect(subscriptions.subscribe("one-more", { aggregateId: "new" })).toMatch(/at most 64/);
    // The same filter as an existing one still joins.
    expect(subscriptions.subscribe("one-more", { aggregateId: "a1" })).toBeNull();
  });

  it("measures the true incoming rate over the last seconds", async () => {
    subscriptions.subscribe("all", undefined);
    for (let second = 0; second < 6; second++) {
      read += 4_800;
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(subscriptions.recordsPerSecond()).toBe(4_800);
  });
});
