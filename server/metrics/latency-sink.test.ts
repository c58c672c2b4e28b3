import { describe, expect, it } from "vitest";
import type { Hop } from "@/lib/contracts/metrics";
import { DEFAULT_OUTBOX_COLUMNS, decodeRecord, type DecodedRecord } from "@/lib/debezium";
import { EVICTION_BATCH, MAX_PENDING_EVENTS, PipelineLatencySink } from "./latency-sink";

const encoder = new TextEncoder();
const T0 = Date.UTC(2026, 10, 27, 12);

function change(op: "c" | "u", eventId: string, status: string, kafkaTimestamp: number, headers: Record<string, string> = {}): DecodedRecord {
  const row = {
    event_id: eventId,
    event_type: "OrderPlaced",
    status,
    created_at: new Date(T0).toISOString(),
    processed_at: status === "processed" ? new Date(T0 + 300).toISOString() : null,
    payload: "{}",
  };
  const value = { before: op === "u" ? { ...row, status: "pending", processed_at: null } : null, after: row, source: { ts_ms: T0 + 10, db: "app", schema: "public", table: "outbox", lsn: 1, txId: 1, snapshot: "false" }, op, ts_ms: T0 + 20 };
  return decodeRecord(
    { topic: "outbox", partition: 0, offset: "0", timestamp: kafkaTimestamp, key: null, value: encoder.encode(JSON.stringify(value)), headers },
    { columns: DEFAULT_OUTBOX_COLUMNS },
  );
}

function recordingSink() {
  const samples: { hop: Hop; value: number }[] = [];
  return { samples, sink: { record: (hop: Hop, _type: string, value: number) => samples.push({ hop, value }) } };
}

const OPTIONS = { pendingStatus: "pending", processedStatus: "processed", failedStatus: "failed", columns: DEFAULT_OUTBOX_COLUMNS };

describe("PipelineLatencySink", () => {
  it("pairs an insert with its write-back: Kafka → processed, and end to end", () => {
    const { samples, sink } = recordingSink();
    const latency = new PipelineLatencySink(sink, OPTIONS);
    latency.accept(change("c", "e1", "pending", T0 + 50), T0 + 60);
    latency.accept(change("u", "e1", "processed", T0 + 400), T0 + 410);
    expect(samples).toContainEqual({ hop: "outboxToKafka", value: 50 });
    expect(samples).toContainEqual({ hop: "kafkaToProcessed", value: 250 });
    expect(samples).toContainEqual({ hop: "endToEnd", value: 300 });
    expect(latency.tracked).toBe(0);
    expect(latency.unpaired).toBe(0);
  });

  it("ignores replayed records, and does not take a retry (update back to pending) as outbox → Kafka", () => {
    const { samples, sink } = recordingSink();
    const latency = new PipelineLatencySink(sink, OPTIONS);
    latency.accept(change("c", "e1", "pending", T0 + 3_600_000, { "x-replay-id": "7" }), T0 + 3_600_010);
    expect(samples).toEqual([]);
    expect(latency.tracked).toBe(0);

    latency.accept(change("u", "e2", "pending", T0 + 100), T0 + 110);
    expect(samples.map((s) => s.hop)).toEqual(["capture"]);
    // The retry's own record is what the write-back pairs with (processed_at is T0 + 300).
    latency.accept(change("u", "e2", "processed", T0 + 400), T0 + 410);
    expect(samples).toContainEqual({ hop: "kafkaToProcessed", value: 200 });
  });

  it("forgets a failed event, and pairs its retry's record with the write-back that follows", () => {
    const { samples, sink } = recordingSink();
    const latency = new PipelineLatencySink(sink, OPTIONS);
    latency.accept(change("c", "e1", "pending", T0 + 50), T0 + 60);
    latency.accept(change("c", "e2", "pending", T0 + 60), T0 + 70);
    latency.accept(change("u", "e1", "failed", T0 + 80), T0 + 90);
    expect(latency.tracked).toBe(1);
    expect(samples.map((s) => s.hop)).not.toContain("kafkaToProcessed");

    // The retry's record (processed_at is T0 + 300) is what the write-back pairs with.
    latency.accept(change("u", "e1", "pending", T0 + 100), T0 + 110);
    expect(latency.tracked).toBe(2);
    latency.accept(change("u", "e1", "processed", T0 + 400), T0 + 410);
    expect(samples.filter((s) => s.hop === "kafkaToProcessed")).toEqual([{ hop: "kafkaToProcessed", value: 200 }]);
    expect(latency.tracked).toBe(1);
    expect(latency.unpaired).toBe(0);
  });

  it("stays bounded when write-backs never come, forgetting the oldest inserts in batches", () => {
    const { samples, sink } = recordingSink();
    const latency = new PipelineLatencySink(sink, OPTIONS);
    const inserts = MAX_PENDING_EVENTS + 1;
    // One decoded insert, its event id changed: decoding 200,000 records would take most of the test's time.
    const insert = change("c", "e0", "pending", T0 + 50);
    if (insert.kind !== "change") throw new Error(`the insert decoded as ${insert.kind}`);
    for (let i = 0; i < inserts; i++) latency.accept({ ...insert, outbox: { ...insert.outbox, eventId: `e${i}` } }, T0 + 60);
    expect(latency.tracked).toBe(inserts - EVICTION_BATCH);
    expect(latency.tracked).toBeLessThanOrEqual(MAX_PENDING_EVENTS);

    samples.length = 0;
    // The oldest was forgotten: its write-back still gives end to end, not Kafka → processed.
    latency.accept(change("u", "e0", "processed", T0 + 400), T0 + 410);
    expect(latency.unpaired).toBe(1);
    expect(samples.map((s) => s.hop)).toEqual(["endToEnd"]);
    // The newest is still paired.
    samples.length = 0;
    latency.accept(change("u", `e${inserts - 1}`, "processed", T0 + 400), T0 + 410);
    expect(samples.map((s) => s.hop).sort()).toEqual(["endToEnd", "kafkaToProcessed"]);
  });
});
