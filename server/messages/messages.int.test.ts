// Browse, single message, search and export against the test stack's real Kafka: a topic of our
// own with known records (Debezium-shaped changes with set timestamps, and hostile records), so
// every count is known exactly.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/contracts/auth";
import { browseQuerySchema, searchRequestSchema, exportQuerySchema, type BrowsePage, type SearchRequestInput } from "@/lib/contracts/messages";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient } from "@/server/kafka/client";
import { PartitionFetcher } from "@/server/kafka/partition-fetcher";
import { createTopic, deleteTopic } from "@/server/kafka/topic-admin";
import { silentLogger as quietLogger } from "@/server/log";
import { isRequestError } from "@/server/http/request-error";
import { stackConfig, stackEnv } from "@/stack/config";
import pg from "pg";
import { reproduceRequestSchema } from "@/lib/contracts/messages";
import { ReplayProducer } from "@/server/kafka/replay-producer";
import { AuditLog } from "@/server/outbox/audit";
import { createPool } from "@/server/outbox/db";
import { migrateOwnSchema } from "@/server/outbox/migrations";
import { exportMessages } from "./export";
import { reproduceMessage } from "./reproduce";
import { MessageReader } from "./reader";
import { MessageSearches } from "./searches";

const env = stackEnv(stackConfig({ profile: "test" }));
const viewer: Principal = { kind: "user", name: "viewer-x", role: "viewer" };
const other: Principal = { kind: "user", name: "someone-else", role: "viewer" };

const TOPIC = `lens-messages-${randomBytes(4).toString("hex")}`;
const MISSING_TOPIC = `lens-missing-${randomBytes(4).toString("hex")}`;
const REPLAY_TOPIC = `lens-replay-${randomBytes(4).toString("hex")}`;
const PARTITIONS = 3;
const PER_PARTITION = 400;
const BASE_TIME = Date.parse("2026-06-01T00:00:00Z");
const BIG_VALUE_BYTES = 2 * 1024 * 1024;

let admin: KafkaAdminConnection;
let fetcher: PartitionFetcher;
let reader: MessageReader;
const client = createKafkaClient({ clientId: "messages-test", brokers: env.KAFKA_BROKERS!.split(","), logger: quietLogger });

/** A Debezium-shaped insert of an outbox row. */
function change(partition: number, i: number): string {
  const eventId = `${partition}-${i}-${randomUUID()}`;
  const after = {
    event_id: eventId,
    aggregate_id: `agg-${i % 10}`,
    aggregate_type: "Order",
    event_type: i % 100 === 7 ? "RareHappened" : "OrderPlaced",
    payload: JSON.stringify({ n: i, partition, customer: { id: `c-${i}`, ssn: `ssn-${i}` }, note: i === 13 ? "<script>alert(1)</script>" : "ok" }),
    status: "pending",
    created_at: new Date(BASE_TIME + i * 1_000).toISOString(),
  };
  return JSON.stringify({ before: null, after, source: { connector: "postgresql", db: "d", schema: "s", table: "t", ts_ms: BASE_TIME + i * 1_000, lsn: 1000 + i, txId: 7, snapshot: "false" }, op: "c", ts_ms: BASE_TIME + i * 1_000 });
}

beforeAll(async () => {
  admin = new KafkaAdminConnection(client);
  // The records carry set timestamps months in the past: without this, the broker's retention
  // check (every 5 min, 24 h retention) may delete them all in the middle of the run.
  await createTopic(admin, TOPIC, PARTITIONS, 1, { "retention.ms": "-1" });
  const producer = client.producer();
  await producer.connect();
  for (let partition = 0; partition < PARTITIONS; partition++) {
    // Timestamps 1 s apart within a partition, the partitions interleaved by 1 ms.
    const messages = Array.from({ length: PER_PARTITION }, (_, i) => ({
      partition,
      key: JSON.stringify({ event_id: `k-${partition}-${i}` }),
      value: change(partition, i),
      timestamp: String(BASE_TIME + i * 1_000 + partition),
      headers: i === 5 ? { "x-replay-id": "r-5" } : undefined,
    }));
    await producer.send({ topic: TOPIC, messages });
  }
  // Hostile records at the end of partition 0: a tombstone, invalid UTF-8, a big value, not JSON.
  await producer.send({
    topic: TOPIC,
    messages: [
      { partition: 0, key: "k-tomb", value: null, timestamp: String(BASE_TIME + 500_000) },
      { partition: 0, key: Buffer.from([0xff, 0xfe, 0x00]), value: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), timestamp: String(BASE_TIME + 500_001) },
      { partition: 0, key: "k-big", value: JSON.stringify({ blob: "x".repeat(BIG_VALUE_BYTES) }), timestamp: String(BASE_TIME + 500_002) },
      { partition: 0, key: "k-html", value: "<img src=x onerror=alert(1)>", timestamp: String(BASE_TIME + 500_003) },
    ],
  });
  await producer.disconnect();
  fetcher = new PartitionFetcher(client, quietLogger);
  reader = new MessageReader({ admin, fetcher, outboxTopic: TOPIC, otherTopics: [MISSING_TOPIC, REPLAY_TOPIC], decode: {} });
});

afterAll(async () => {
  await fetcher?.disconnect();
  await deleteTopic(admin, TOPIC).catch(() => undefined);
  await deleteTopic(admin, REPLAY_TOPIC).catch(() => undefined);
  await admin.disconnect();
});

const TOTAL = PARTITIONS * PER_PARTITION + 4;

function browse(query: Record<string, string>): Promise<BrowsePage> {
  return reader.browse(browseQuerySchema.parse(query), []);
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isRequestError(error)) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("PartitionFetcher", () => {
  it("reads exactly the ranges asked for, with little over-read", async () => {
    const seen = new Map<number, string[]>();
    const result = await fetcher.read({
      topic: TOPIC,
      ranges: [
        { partition: 0, start: 10, end: 60 },
        { partition: 2, start: 0, end: PER_PARTITION },
      ],
      onMessages: (partition, messages) => {
        seen.set(partition, [...(seen.get(partition) ?? []), ...messages.map((m) => m.offset)]);
      },
    });
    expect(result.stop).toBe("done");
    expect(seen.get(0)).toEqual(Array.from({ length: 50 }, (_, i) => String(10 + i)));
    expect(seen.get(2)).toHaveLength(PER_PARTITION);
    expect(seen.has(1)).toBe(false);
    expect(result.delivered).toBe(50 + PER_PARTITION);
    // One producer batch of partition 0 holds all its 400 records: what a fetch returns whole.
    expect(result.fetched).toBeLessThanOrEqual(PER_PARTITION + PER_PARTITION + 4);
  });

  it("stops when told to, and on abort", async () => {
    const abort = new AbortController();
    abort.abort();
    const aborted = await fetcher.read({ topic: TOPIC, ranges: [{ partition: 1, start: 0, end: PER_PARTITION }], signal: abort.signal, onMessages: () => undefined });
    expect(aborted.stop).toBe("aborted");
    const stopped = await fetcher.read({ topic: TOPIC, ranges: [{ partition: 1, start: 0, end: PER_PARTITION }], onMessages: () => false });
    expect(stopped.stop).toBe("stopped");
  });
});

describe("browse", () => {
  it("pages from the end to the beginning through every record exactly once", async () => {
    const seen: string[] = [];
    let page = await browse({ from: "end", limit: "250" });
    expect(page.messages.at(-1)!.decoded.offset).toBe(String(PER_PARTITION + 3));
    for (let pages = 0; pages < 20; pages++) {
      seen.unshift(...page.messages.map((m) => `${m.decoded.partition}:${m.decoded.offset}`));
      if (!page.older) break;
      page = await browse({ from: page.older.from, dir: page.older.dir, limit: "250" });
    }
    expect(seen).toHaveLength(TOTAL);
    expect(new Set(seen).size).toBe(TOTAL);
  });

  it("jumps to an offset of one partition and pages newer and older from it", async () => {
    const page = await browse({ partition: "1", from: "100", limit: "20" });
    expect(page.messages.map((m) => m.decoded.offset)).toEqual(Array.from({ length: 20 }, (_, i) => String(100 + i)));
    expect(page.messages.every((m) => m.decoded.partition === 1)).toBe(true);
    const newer = await browse({ partition: "1", from: page.newer.from, dir: page.newer.dir, limit: "20" });
    expect(newer.messages[0]!.decoded.offset).toBe("120");
    const older = await browse({ partition: "1", from: page.older!.from, dir: page.older!.dir, limit: "20" });
    expect(older.messages.map((m) => m.decoded.offset)).toEqual(Array.from({ length: 20 }, (_, i) => String(80 + i)));
  });

  it("jumps to a time: the first record at or after it in each partition", async () => {
    const page = await browse({ from: new Date(BASE_TIME + 200_000).toISOString(), limit: "6" });
    // Records i=200 of each partition (time + partition ms), then i=201.
    expect(page.messages.map((m) => `${m.decoded.partition}:${m.decoded.offset}`)).toEqual(["0:200", "1:200", "2:200", "0:201", "1:201", "2:201"]);
  });

  it("decodes Debezium changes and keeps hostile records as data", async () => {
    const page = await browse({ partition: "0", from: "end-4", limit: "10" });
    const [tomb, binary, big, html] = page.messages;
    expect(tomb!.decoded.kind).toBe("tombstone");
    expect(binary!.decoded.kind).toBe("binary");
    expect(binary!.raw.value.encoding).toBe("hex");
    expect(big!.decoded.truncated).toBe(true);
    expect(big!.raw.value.truncated).toBe(true);
    expect(big!.raw.value.data.length).toBeLessThanOrEqual(64 * 1024);
    expect(html!.decoded.kind).toBe("text");
    expect(html!.raw.value.data).toBe("<img src=x onerror=alert(1)>");
    const first = await browse({ partition: "2", from: "beginning", limit: "1" });
    const record = first.messages[0]!;
    expect(record.decoded.kind).toBe("change");
    expect(record.eventId).toMatch(/^2-0-/);
    if (record.decoded.kind === "change") expect((record.decoded.after!.payload as { customer: { id: string } }).customer.id).toBe("c-0");
  });

  it("masks configured fields for readers who may not see them", async () => {
    const page = await reader.browse(browseQuerySchema.parse({ partition: "2", from: "beginning", limit: "1" }), ["ssn"]);
    const view = page.messages[0]!;
    expect(view.masked).toBe(true);
    expect(JSON.stringify(view.decoded)).not.toContain("ssn-0");
    expect(view.raw.value.data).not.toContain("ssn-0");
    expect(JSON.stringify(view.decoded)).toContain("[masked]");
  });

  it("answers 404 for a topic it may not read, a topic that does not exist, and a missing partition", async () => {
    expect(await refusal(browse({ topic: "connect-configs" }))).toMatchObject({ status: 404, message: expect.stringContaining("not one this dashboard reads") });
    expect(await refusal(browse({ topic: MISSING_TOPIC }))).toMatchObject({ status: 404, message: `topic ${MISSING_TOPIC} does not exist` });
    expect(await refusal(browse({ partition: "9" }))).toMatchObject({ status: 404, message: expect.stringContaining("partition 9 does not exist") });
  });
});

describe("one message", () => {
  it("reads one record by position, its preview or the whole value, and 404 outside the log", async () => {
    const end = PER_PARTITION + 2;
    const preview = await reader.one(TOPIC, 0, end, false, []);
    expect(preview.decoded.truncated).toBe(true);
    const full = await reader.one(TOPIC, 0, end, true, []);
    expect(full.decoded.truncated).toBe(false);
    expect(full.decoded.kind).toBe("json");
    expect(full.raw.value.data.length).toBe(full.raw.value.sizeBytes);
    expect(await refusal(reader.one(TOPIC, 0, 99_999, false, []))).toMatchObject({ status: 404 });
  });
});

describe("search", () => {
  function searches(): MessageSearches {
    return new MessageSearches({ reader, logger: quietLogger });
  }
  async function run(request: SearchRequestInput, maskFields: readonly string[] = [], principal = viewer) {
    const engine = searches();
    const started = await engine.start(searchRequestSchema.parse(request), principal, maskFields);
    await engine.finished(started.searchId);
    return { engine, result: engine.result(started.searchId, principal) };
  }

  it("finds exactly the records of an event type with a payload field, over the whole range", async () => {
    const { result, engine } = await run({ filter: { eventType: "RareHappened", path: { path: "payload.customer.id", match: "equals", value: "c-207" } } });
    expect(result.stopReason).toBe("range-end");
    expect(result.scanned).toBe(TOTAL);
    expect(result.rangeTotal).toBe(TOTAL);
    expect(result.results.map((r) => `${r.partition}:${r.offset}`).sort()).toEqual(["0:207", "1:207", "2:207"]);
    // Over-read: at most the rest of one fetch per partition; here the range is the whole log.
    expect(engine.fetched(result.searchId)).toBe(TOTAL);
  });

  it("filters by op, header, key and free text", async () => {
    expect((await run({ filter: { op: ["tombstone"] } })).result.matched).toBe(1);
    expect((await run({ filter: { header: { name: "x-replay-id", value: "r-5" } } })).result.matched).toBe(PARTITIONS);
    expect((await run({ filter: { key: "k-1-17" } })).result.results.map((r) => r.offset)).toEqual(["17"]);
    expect((await run({ filter: { text: "<SCRIPT>" } })).result.matched).toBe(PARTITIONS);
    expect((await run({ filter: { op: ["other"] } })).result.matched).toBe(3);
  });

  it("stops at its limits and says why", async () => {
    const results = await run({ filter: { eventType: "OrderPlaced" }, maxResults: 5 });
    expect(results.result).toMatchObject({ stopReason: "max-results", matched: 5 });
    const scanned = await run({ partitions: [1], filter: { eventType: "nothing" }, maxScanned: 50 });
    expect(scanned.result).toMatchObject({ stopReason: "max-scanned", scanned: 50, matched: 0 });
    const ranged = await run({ partitions: [2], from: "@2:100", to: new Date(BASE_TIME + 150_000).toISOString() });
    expect(ranged.result).toMatchObject({ stopReason: "range-end", scanned: 50, rangeTotal: 50 });
  });

  it("is cancelled by its owner, hidden from others, and watched with progress", async () => {
    const engine = searches();
    const started = await engine.start(searchRequestSchema.parse({ filter: { text: "never-there" } }), viewer, []);
    const updates: string[] = [];
    const unwatch = engine.watch(started.searchId, viewer, (progress) => updates.push(progress.state));
    expect(await refusal(Promise.resolve().then(() => engine.result(started.searchId, other)))).toMatchObject({ status: 404 });
    const cancelled = await engine.cancel(started.searchId, viewer);
    unwatch();
    expect(cancelled.state).toBe("done");
    expect(["cancelled", "range-end"]).toContain(cancelled.stopReason);
    expect(updates[0]).toBe("running");
    expect(updates.at(-1)).toBe("done");
  });

  it("cannot probe a masked field", async () => {
    const probe = await run({ filter: { path: { path: "payload.customer.ssn", match: "equals", value: "ssn-3" } } }, ["ssn"]);
    expect(probe.result.matched).toBe(0);
    const text = await run({ filter: { text: "ssn-3" } }, ["ssn"]);
    expect(text.result.matched).toBe(0);
    const unmasked = await run({ filter: { path: { path: "payload.customer.ssn", match: "equals", value: "ssn-3" } } });
    expect(unmasked.result.matched).toBe(PARTITIONS);
  });

  it("answers 404 for a missing topic or partition before it starts", async () => {
    const engine = searches();
    expect(await refusal(engine.start(searchRequestSchema.parse({ topic: MISSING_TOPIC }), viewer, []))).toMatchObject({ status: 404 });
    expect(await refusal(engine.start(searchRequestSchema.parse({ partitions: [7] }), viewer, []))).toMatchObject({ status: 404 });
  });
});

describe("export", () => {
  async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
    return new Response(stream).text();
  }

  it("streams the filtered range as JSON Lines and as CSV", async () => {
    const filter = JSON.stringify({ eventType: "RareHappened" });
    const jsonl = await exportMessages(reader, exportQuerySchema.parse({ format: "jsonl", filter }), []);
    const lines = (await text(jsonl.stream)).trim().split("\n").map((line) => JSON.parse(line) as { offset: string; kind: string; timestampIso: string });
    expect(lines).toHaveLength(4 * PARTITIONS);
    expect(lines.every((line) => line.kind === "change")).toBe(true);
    const csv = await exportMessages(reader, exportQuerySchema.parse({ format: "csv", partition: "0", filter, limit: "2" }), []);
    const rows = (await text(csv.stream)).trim().split("\r\n");
    expect(rows[0]).toBe("topic,partition,offset,timestamp,key,kind,op,event_id,event_type,aggregate_type,aggregate_id,status,size_bytes,value,problems");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain(",0,7,");
    expect(csv.filename).toMatch(new RegExp(`^${TOPIC}-.*\\.csv$`));
  });

  it("refuses a filter that is not one, naming it", async () => {
    expect(await refusal(exportMessages(reader, exportQuerySchema.parse({ filter: "{nope" }), []))).toMatchObject({ status: 422, message: expect.stringContaining("filter") });
    expect(await refusal(exportMessages(reader, exportQuerySchema.parse({ filter: '{"script":"x"}' }), []))).toMatchObject({ status: 422 });
  });
});

describe("reproduce", () => {
  const operator: Principal = { kind: "user", name: `operator-${randomBytes(3).toString("hex")}`, role: "operator" };
  let pool: pg.Pool;
  let producer: ReplayProducer;
  let audit: AuditLog;

  beforeAll(async () => {
    pool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 5_000 }, quietLogger);
    await migrateOwnSchema(pool);
    audit = new AuditLog(pool);
    producer = new ReplayProducer(client, admin, quietLogger);
    await createTopic(admin, REPLAY_TOPIC, 1);
  });
  afterAll(async () => {
    await producer.disconnect();
    await pool.end();
  });

  it("produces the record again, bytes and headers as they were plus the replay headers, once per idempotency key", async () => {
    const deps = { reader, producer, audit, writableTopics: [TOPIC, REPLAY_TOPIC] };
    const request = reproduceRequestSchema.parse({ topic: TOPIC, partition: 0, offset: "5", targetTopic: REPLAY_TOPIC, reason: "consumer lost it", idempotencyKey: `k-${randomUUID()}` });
    const first = await reproduceMessage(deps, request, operator);
    expect(first).toMatchObject({ duplicate: false, outcome: "succeeded", targetTopic: REPLAY_TOPIC });
    const again = await reproduceMessage(deps, request, operator);
    expect(again).toMatchObject({ duplicate: true, auditId: first.auditId });

    const [original, copy] = await Promise.all([reader.raw(TOPIC, 0, 5), reader.raw(REPLAY_TOPIC, 0, 0)]);
    expect(Buffer.from(copy.value!).equals(Buffer.from(original.value!))).toBe(true);
    expect(Buffer.from(copy.key!).equals(Buffer.from(original.key!))).toBe(true);
    const header = (name: string) => String(copy.headers?.[name]);
    expect(header("x-replay-id")).toBe(String(first.auditId));
    expect(header("x-replayed-by")).toBe(`user:${operator.name}`);
    expect(header("x-replay-reason")).toBe("consumer lost it");
    expect(header("x-reproduced-from")).toBe(`${TOPIC}/0/5`);
    // The original carried an x-replay-id of its own; the copy's is the new audit entry's.
    expect(String(original.headers?.["x-replay-id"])).toBe("r-5");
    // Exactly one record: the repeated request produced nothing.
    expect((await reader.watermarks(REPLAY_TOPIC))[0]!.high).toBe(1);

    const entry = await audit.get(first.auditId);
    expect(entry).toMatchObject({ action: "message:reproduce", outcome: "succeeded", changed: 1, topic: REPLAY_TOPIC, reason: "consumer lost it" });
    expect(entry!.target).toMatchObject({ topic: TOPIC, partition: 0, offset: "5" });
  });

  it("refuses, naming the limit, a record larger than the target topic accepts, and audits the refusal", async () => {
    const small = `lens-reproduce-small-${randomBytes(4).toString("hex")}`;
    await createTopic(admin, small, 1, 1, { "max.message.bytes": "100" });
    try {
      const deps = { reader, producer, audit, writableTopics: [TOPIC, small] };
      const request = reproduceRequestSchema.parse({ topic: TOPIC, partition: 0, offset: "5", targetTopic: small, reason: "too big", idempotencyKey: `k-${randomUUID()}` });
      const refused = await refusal(reproduceMessage(deps, request, operator));
      expect(refused).toMatchObject({ status: 422, message: expect.stringContaining("max.message.bytes 100") });
      const entry = await pool.query(`SELECT action, outcome, failed::int, changed::int, topic FROM outbox_lens.audit_log WHERE idempotency_key = $1`, [request.idempotencyKey]);
      expect(entry.rows).toEqual([{ action: "message:reproduce", outcome: "failed", failed: 1, changed: 0, topic: small }]);
      expect((await reader.watermarks(small))[0]!.high).toBe(0);
    } finally {
      await deleteTopic(admin, small);
    }
  });

  it("refuses a topic it may not write, a reused key with another request, and a missing record", async () => {
    const deps = { reader, producer, audit, writableTopics: [TOPIC, REPLAY_TOPIC] };
    const base = { topic: TOPIC, partition: 0, offset: "6", reason: "r", idempotencyKey: `k-${randomUUID()}` };
    expect(await refusal(reproduceMessage(deps, reproduceRequestSchema.parse({ ...base, targetTopic: "connect-configs" }), operator))).toMatchObject({ status: 422, message: expect.stringContaining("targetTopic") });
    await reproduceMessage(deps, reproduceRequestSchema.parse({ ...base, targetTopic: REPLAY_TOPIC }), operator);
    expect(await refusal(reproduceMessage(deps, reproduceRequestSchema.parse({ ...base, offset: "7", targetTopic: REPLAY_TOPIC }), operator))).toMatchObject({ status: 422, message: expect.stringContaining("idempotencyKey") });
    expect(await refusal(reproduceMessage(deps, reproduceRequestSchema.parse({ ...base, offset: "999999", idempotencyKey: `k-${randomUUID()}` }), operator))).toMatchObject({ status: 404 });
  });
});
