// The live tail against the real test stack: completeness, the offset → timestamp index, real
// Debezium records from the outbox topic, lookback, and hostile values.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecodedRecord } from "@/lib/debezium";
import { waitUntil } from "@/stack/lib/proc";
import { generateOperation } from "@/stack/workload/events";
import { insertEvents } from "@/stack/workload/run";
import { INDEX_RESOLUTION_MS } from "./offset-index";
import { TopicTail, type TailRecordMeta } from "./tail";
import { createKafkaClient } from "./client";
import { SeverableNetwork, createTestTopic, deleteTestTopic, produce, testBrokers, testEnv, testKafka, type TestKafka } from "./test-fixtures";

const OUTBOX_TOPIC = testEnv.OUTBOX_TOPIC!;
const WAIT_MS = 60_000;

let kafka: TestKafka;
const topics: string[] = [];
const tails: TopicTail[] = [];

beforeAll(() => {
  kafka = testKafka("tail-test");
});

afterAll(async () => {
  for (const tail of tails) await tail.stop();
  for (const topic of topics) await deleteTestTopic(kafka.admin, topic);
  await kafka.close();
});

function newTail(topic: string, lookbackMs = 0): TopicTail {
  const tail = new TopicTail({ client: kafka.client, admin: kafka.admin, topics: [topic], lookbackMs, logger: kafka.logger });
  tails.push(tail);
  return tail;
}

/** Every (record, meta) a sink received, copied (the meta object must not be kept). */
function collect(tail: TopicTail): { record: DecodedRecord; offset: number }[] {
  const seen: { record: DecodedRecord; offset: number }[] = [];
  tail.onRecord((record: DecodedRecord, meta: TailRecordMeta) => seen.push({ record, offset: meta.offset }));
  return seen;
}

describe("TopicTail", () => {
  it("reads every record produced after it started, once, and indexes their timestamps within 100 ms", async () => {
    const topic = await createTestTopic(kafka.admin, "tail-complete", 3);
    topics.push(topic);
    // Records already there before the start must not be read (the tail starts at the end).
    await produce(kafka.client, topic, [0, 1, 2].map((partition) => ({ partition, value: "before the tail" })));
    const tail = newTail(topic);
    const seen = collect(tail);
    await tail.start();
    expect(tail.stats().state).toBe("running");

    // Irregular, known record times (CreateTime as given): bursts a few ms apart, pauses up to 900 ms.
    const produced = 1_500;
    const timestamps: number[] = [];
    let clock = Date.now() - 10 * 60_000;
    for (let i = 0; i < produced; i++) {
      clock += i % 97 === 0 ? 900 : i % 3;
      timestamps.push(clock);
    }
    const messages = timestamps.map((timestamp, i) => ({ partition: i % 3, value: `record-${i}`, timestamp: String(timestamp) }));
    for (let from = 0; from < produced; from += 500) await produce(kafka.client, topic, messages.slice(from, from + 500));

    await waitUntil(() => tail.stats().records >= produced, { timeoutMs: WAIT_MS, what: `the tail to read ${produced} records` });
    const stats = tail.stats();
    expect(stats.records).toBe(produced);
    expect(seen).toHaveLength(produced);
    expect(new Set(seen.map((s) => `${s.record.partition}:${s.offset}`)).size).toBe(produced);
    expect(seen.some((s) => s.offset === 0)).toBe(false);
    expect(stats.behindRecords).toBe(0);
    expect(stats.topics[0]!.partitions.map((p) => p.nextOffset)).toEqual([501, 501, 501]);
    // Plain text values are not Debezium events: each one is counted as undecodable.
    expect(stats.undecodable).toBe(produced);

    // The index against the real record timestamps (what Kafka stored, as the sink saw them).
    for (const { record, offset } of seen) {
      const i = Number(String(record.kind === "text" ? record.text : "").replace("record-", ""));
      expect(record.timestamp).toBe(timestamps[i]);
      const indexed = tail.timestampAt(topic, record.partition, offset);
      expect(indexed).toBeDefined();
      expect(Math.abs(indexed! - record.timestamp)).toBeLessThan(INDEX_RESOLUTION_MS);
    }
    expect(tail.timestampAt(topic, 0, 0)).toBeUndefined();
    expect(tail.timestampAt(topic, 0, 501)).toBeUndefined();

    // The ring buffer keeps the newest records of each partition, oldest first.
    const recent = tail.recentRecords(topic, 1);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.at(-1)!.offset).toBe("500");
    expect(tail.latestRecords(topic, 5)).toHaveLength(5);
  });

  it("starts the given lookback back in time, and not earlier", async () => {
    const topic = await createTestTopic(kafka.admin, "tail-lookback", 2);
    topics.push(topic);
    const now = Date.now();
    const old = Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `old-${i}`, timestamp: String(now - 10 * 60_000 + i) }));
    const recent = Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, value: `recent-${i}`, timestamp: String(now - 5_000 + i) }));
    await produce(kafka.client, topic, [...old, ...recent]);

    const tail = newTail(topic, 60_000);
    const seen = collect(tail);
    await tail.start();
    await waitUntil(() => tail.stats().records >= recent.length, { timeoutMs: WAIT_MS, what: "the records of the last minute" });
    await produce(kafka.client, topic, [{ partition: 0, value: "after" }]);
    await waitUntil(() => tail.stats().records >= recent.length + 1, { timeoutMs: WAIT_MS, what: "the record produced after the start" });
    const texts = seen.map((s) => (s.record.kind === "text" ? s.record.text : s.record.kind));
    expect(texts.filter((t) => t.startsWith("old-"))).toEqual([]);
    expect(texts.filter((t) => t.startsWith("recent-")).sort()).toEqual(recent.map((r) => r.value).sort());
    expect(texts).toContain("after");
  });

  it("decodes a real Debezium change event from the outbox topic, with its Kafka timestamp indexed", async () => {
    const pool = new pg.Pool({ connectionString: testEnv.DATABASE_URL, max: 1 });
    try {
      const tail = newTail(OUTBOX_TOPIC);
      await tail.start();
      const events = generateOperation();
      const event = events[0]!;
      await insertEvents(pool, testEnv.OUTBOX_TABLE!, events);

      const found = await waitUntil(
        () =>
          tail
            .latestRecords(OUTBOX_TOPIC, 10_000)
            .find((r) => r.kind === "change" && r.op === "c" && r.outbox.eventId === event.eventId),
        { timeoutMs: WAIT_MS, what: `the change event of ${event.eventId} in the tail's ring buffer` },
      );
      expect(found.kind).toBe("change");
      if (found.kind !== "change") return;
      expect(found.problems).toEqual([]);
      expect(found.outbox).toMatchObject({ eventId: event.eventId, eventType: event.eventType, aggregateType: event.aggregateType, status: "pending" });
      expect(found.source).toMatchObject({ table: "event_outbox", schema: "activity", isSnapshot: false });
      // jsonb arrives as a JSON string; the decoder parses it back.
      expect(found.after?.payload).toEqual(event.payload);
      expect(Math.abs(tail.timestampAt(OUTBOX_TOPIC, found.partition, found.offset)! - found.timestamp)).toBeLessThan(INDEX_RESOLUTION_MS);

      // The by-op breakdown counts the insert once its second is complete.
      await waitUntil(() => (tail.stats().topics[0]!.byOp.c ?? 0) > 0, { timeoutMs: WAIT_MS, what: "inserts in the by-op rates" });
      expect(tail.stats().topics[0]!.byEventType[event.eventType]).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
  });

  it("survives hostile values (invalid UTF-8, 1 MB of text, not JSON, broken JSON), counting them as undecodable", async () => {
    // The broker's default record limit is ~1 MiB; this topic allows a little more than the 1 MB value.
    const topic = await createTestTopic(kafka.admin, "tail-hostile", 1, [{ name: "max.message.bytes", value: String(4 * 1024 * 1024) }]);
    topics.push(topic);
    const tail = newTail(topic);
    const seen = collect(tail);
    let throwingSinkCalls = 0;
    tail.onRecord(() => {
      throwingSinkCalls += 1;
      throw new Error("a broken sink");
    });
    await tail.start();

    const envelope = JSON.stringify({ before: null, after: { event_id: "e-1", event_type: "Hostile" }, source: { table: "event_outbox" }, op: "c", ts_ms: Date.now() });
    await produce(kafka.client, topic, [
      { partition: 0, value: Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x80]) },
      { partition: 0, value: "x".repeat(1_000_000) },
      { partition: 0, value: "plain text, not JSON" },
      { partition: 0, value: '{"op": "c", "after": {' },
      { partition: 0, key: Buffer.from([0xff]), value: null },
      { partition: 0, value: envelope },
    ]);

    await waitUntil(() => tail.stats().records >= 6, { timeoutMs: WAIT_MS, what: "the tail to read the six records" });
    const stats = tail.stats();
    expect(stats.state).toBe("running");
    expect(stats.undecodable).toBe(4);
    expect(seen.map((s) => s.record.kind)).toEqual(["binary", "text", "text", "text", "tombstone", "change"]);
    const big = seen[1]!.record;
    expect(big.truncated).toBe(true);
    expect(big.sizeBytes).toBe(1_000_000);
    expect(throwingSinkCalls).toBe(6);
    expect(stats.sinkErrors).toBe(6);

    // Still consuming afterwards.
    await produce(kafka.client, topic, [{ partition: 0, value: envelope }]);
    await waitUntil(() => tail.stats().records === 7, { timeoutMs: WAIT_MS, what: "a record after the hostile ones" });
  });

  it("catching up, decodes a sample chosen by key (an insert and its write-back together) and counts every record", async () => {
    const topic = await createTestTopic(kafka.admin, "tail-sampling", 1);
    topics.push(topic);
    const events = 6_000;
    const envelope = (id: string, op: "c" | "u") =>
      JSON.stringify({ before: null, after: { event_id: id, event_type: "Sampled", status: op === "c" ? "pending" : "processed" }, source: { table: "event_outbox" }, transaction: null, op, ts_ms: Date.now() });
    // Every insert followed later by its write-back: 12,000 records, more than SAMPLE_WHEN_BEHIND_RECORDS behind.
    const messages = [...Array.from({ length: events }, (_, i) => ({ key: `{"event_id":"e-${i}"}`, value: envelope(`e-${i}`, "c") })), ...Array.from({ length: events }, (_, i) => ({ key: `{"event_id":"e-${i}"}`, value: envelope(`e-${i}`, "u") }))];
    for (let from = 0; from < messages.length; from += 3_000) await produce(kafka.client, topic, messages.slice(from, from + 3_000));

    const tail = newTail(topic, 60_000);
    const seen = collect(tail);
    await tail.start();
    await waitUntil(() => tail.stats().records >= messages.length, { timeoutMs: WAIT_MS, what: `the tail to read ${messages.length} records` });
    const stats = tail.stats();
    expect(stats.records).toBe(messages.length);
    expect(stats.decoded).toBe(seen.length);
    expect(stats.decoded).toBeLessThan(messages.length / 2);
    expect(stats.decoded).toBeGreaterThan(0);
    expect(stats.undecodable).toBe(0);
    // The sampling only gets denser as the tail catches up (1 in 64 while behind, then by rate),
    // and the sampled keys nest: every event whose insert was decoded has its write-back decoded
    // too, so Kafka → processed can be paired for it.
    const ops = new Map<string, string[]>();
    for (const { record } of seen) {
      if (record.kind !== "change") continue;
      ops.set(record.outbox.eventId!, [...(ops.get(record.outbox.eventId!) ?? []), record.op]);
    }
    const inserted = [...ops].filter(([, seenOps]) => seenOps.includes("c"));
    expect(inserted.length).toBeGreaterThan(0);
    for (const [id, seenOps] of inserted) expect(seenOps, id).toEqual(["c", "u"]);
  });

  it("survives a broker outage: its crashed consumer is replaced by one in a new group, which resumes where it stopped, nothing lost or read twice", async () => {
    const topic = await createTestTopic(kafka.admin, "tail-outage", 3);
    topics.push(topic);
    const network = new SeverableNetwork();
    // Few, quick retries, so that the outage ends in a crash (and a new consumer) within seconds.
    const client = createKafkaClient({
      clientId: "outbox-lens-tail-outage-test",
      brokers: testBrokers,
      socketFactory: network.socketFactory,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
      logger: kafka.logger,
    });
    const tail = new TopicTail({ client, admin: kafka.admin, topics: [topic], logger: kafka.logger });
    tails.push(tail);
    const seen = collect(tail);
    await tail.start();
    const batch = (label: string) => Array.from({ length: 300 }, (_, i) => ({ partition: i % 3, value: `${label}-${i}` }));

    await produce(kafka.client, topic, batch("before"));
    await waitUntil(() => tail.stats().records === 300, { timeoutMs: WAIT_MS, what: "the records before the outage" });

    network.cut();
    await produce(kafka.client, topic, batch("during"));
    await waitUntil(() => tail.stats().state === "recovering", { timeoutMs: WAIT_MS, what: "the tail to notice the outage" });
    expect(tail.stats().error).toEqual(expect.any(String));

    network.restore();
    await produce(kafka.client, topic, batch("after"));
    await waitUntil(() => tail.stats().records >= 900 && tail.stats().state === "running", { timeoutMs: WAIT_MS, what: "the tail to catch up after the outage" });
    expect(tail.stats().records).toBe(900);
    expect(new Set(seen.map((s) => `${s.record.partition}:${s.offset}`)).size).toBe(900);
    expect(tail.stats().topics[0]!.partitions.map((p) => p.nextOffset)).toEqual([300, 300, 300]);
    expect(tail.stats().error).toBeNull();
  });
});
