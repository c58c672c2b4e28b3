import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TAIL_BATCH_MAX_RECORDS, type TailBatch } from "@/lib/contracts/tail";
import { TailBroadcaster } from "./tail-broadcaster";
import { changeRecord } from "./test-records";

const record = changeRecord;

describe("TailBroadcaster", () => {
  let sent: TailBatch[];
  let subscribers: number;
  let read: number;
  let broadcaster: TailBroadcaster;

  beforeEach(() => {
    vi.useFakeTimers({ now: 10_000 });
    sent = [];
    subscribers = 1;
    read = 0;
    broadcaster = new TailBroadcaster({ send: (batch) => sent.push(batch), hasSubscribers: () => subscribers > 0, recordsRead: () => read, intervalMs: 125 });
  });
  afterEach(() => {
    broadcaster.stop();
    vi.useRealTimers();
  });

  it("sends a quiet topic's record at once, summarised, newest first", async () => {
    broadcaster.accept(record(7), 10_000);
    read = 1;
    expect(sent).toHaveLength(0); // not inside the Kafka batch's loop
    await vi.advanceTimersToNextTimerAsync();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.records).toEqual([
      expect.objectContaining({ offset: "7", kind: "change", op: "c", eventId: "e-7", eventType: "OrderPlaced", aggregateType: "order", aggregateId: "o-7", status: "pending", key: '{"id":"e-7"}', problems: 0 }),
    ]);
  });

  it("sends at most one batch per interval, with the newest records and the true count read", async () => {
    for (let i = 0; i < 1_000; i++) {
      broadcaster.accept(record(i), Date.now());
      // Like the tail: a Kafka batch's records are counted after they went through the sinks.
      if (i % 100 === 99) {
        read += 100;
        await vi.advanceTimersByTimeAsync(25);
      }
    }
    await vi.advanceTimersByTimeAsync(500);
    // 250 ms of records at 125 ms intervals: the first at once, then one per interval.
    expect(sent.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.sentAt - sent[i - 1]!.sentAt).toBeGreaterThanOrEqual(125);
    const last = sent.at(-1)!;
    expect(last.records).toHaveLength(TAIL_BATCH_MAX_RECORDS);
    expect(last.records[0]!.offset).toBe("999");
    expect(sent.reduce((sum, batch) => sum + batch.readSinceLast, 0)).toBe(1_000);
  });

  it("does nothing without subscribers, and does not count what it skipped", async () => {
    subscribers = 0;
    read = 500;
    broadcaster.accept(record(1), 10_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toHaveLength(0);
    subscribers = 1;
    broadcaster.accept(record(2), Date.now());
    read = 501;
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.readSinceLast).toBe(1);
  });

  it("scales the matches of a decoded sample up to what the tail read", async () => {
    // The tail read 1,000 records and decoded one in ten: 100 offered, 30 of them matching.
    for (let i = 0; i < 100; i++) broadcaster.accept(record(i), Date.now(), i % 10 < 3);
    read += 1_000;
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.reduce((sum, batch) => sum + batch.readSinceLast, 0)).toBe(1_000);
    expect(sent.reduce((sum, batch) => sum + batch.matchedSinceLast, 0)).toBe(300);
  });

  it("counts every record read as matched when nothing is filtered, sampled or not", async () => {
    for (let i = 0; i < 50; i++) broadcaster.accept(record(i), Date.now());
    read += 400;
    await vi.advanceTimersByTimeAsync(500);
    expect(sent.reduce((sum, batch) => sum + batch.matchedSinceLast, 0)).toBe(400);
  });
});
