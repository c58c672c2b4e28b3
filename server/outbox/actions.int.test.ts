// Outbox operations against the real PostgreSQL and Kafka of the test stack: keyset pages, failure
// groups, retry and replay with their audit entries. Each test works on its own copy of the seed
// table in a schema of its own (the event processor does not touch it), so every count is known.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/contracts/auth";
import type { ActionProgress } from "@/lib/contracts/outbox";
import { decodeRecord, type DecodedRecord } from "@/lib/debezium";
import { stackConfig, stackEnv } from "@/stack/config";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient, type KafkaClient } from "@/server/kafka/client";
import { PartitionFetcher } from "@/server/kafka/partition-fetcher";
import { ReplayProducer } from "@/server/kafka/replay-producer";
import { createTopic, deleteTopic, topicEndOffsets } from "@/server/kafka/topic-admin";
import { findRecord } from "@/server/kafka/topic-reader";
import { silentLogger as quietLogger } from "@/server/log";
import type { Runtime } from "@/server/runtime";
import { ActionRequestError, OutboxActions, REPLAY_READ_MAX_BYTES, RETRY_BATCH_ROWS } from "./actions";
import { AuditLog } from "./audit";
import { createPool } from "./db";
import { computeFailureGroups, countFailureGroup, countFailureGroupQuery, failureGroupIndexName, failureGroupIndexSql, SLOW_GROUPING_MS } from "./failure-groups";
import { migrateOwnSchema } from "./migrations";
import { listOutboxRows } from "./rows";
import { outboxTable, type OutboxTable } from "./table";
import { traceEvent } from "./trace";

const env = stackEnv(stackConfig({ profile: "test" }));
const SEED_SQL = readFileSync(new URL("../../stack/sql/outbox.sql", import.meta.url), "utf8");
const operator: Principal = { kind: "user", name: `operator-${randomBytes(3).toString("hex")}`, role: "operator" };

let pool: pg.Pool;
let admin: KafkaAdminConnection;
let producer: ReplayProducer;
let kafkaClient: KafkaClient;
const schemas: string[] = [];
const topics: string[] = [];

beforeAll(async () => {
  pool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 5_000, lockTimeoutMs: 2_000 }, quietLogger);
  await migrateOwnSchema(pool);
  kafkaClient = createKafkaClient({ clientId: "actions-test", brokers: env.KAFKA_BROKERS!.split(","), logger: quietLogger });
  admin = new KafkaAdminConnection(kafkaClient);
  producer = new ReplayProducer(kafkaClient, admin, quietLogger);
});
afterEach(async () => {
  for (const schema of schemas.splice(0)) await pool.query(`DROP SCHEMA ${schema} CASCADE`);
  for (const topic of topics.splice(0)) await deleteTopic(admin, topic);
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
  await pool.end();
});

async function createTable(): Promise<OutboxTable> {
  const schema = `lens_test_${randomBytes(4).toString("hex")}`;
  schemas.push(schema);
  await pool.query(SEED_SQL.replace(/\bactivity\b/g, schema));
  return outboxTable(pool, { schema, table: "event_outbox", qualified: `${schema}.event_outbox` });
}

/** Inserts rows: `count` of each status; failed rows get the errors given in turn. */
async function seed(table: OutboxTable, rows: { status: string; count: number; errors?: string[]; eventType?: string }[]): Promise<void> {
  for (const spec of rows) {
    await pool.query(
      `INSERT INTO ${table.quoted.table} (aggregate_id, aggregate_type, event_type, payload, status, last_error, updated_at)
       SELECT 'agg-' || i, 'Order', $2, jsonb_build_object('n', i), $1, CASE WHEN $1 = 'failed' THEN ($3::text[])[1 + i % greatest(cardinality($3::text[]), 1)] END,
              clock_timestamp() - make_interval(secs => $4 - i)
       FROM generate_series(1, $4) AS i`,
      [spec.status, spec.eventType ?? "OrderPlaced", spec.errors ?? ["boom"], spec.count],
    );
  }
}

async function statusCounts(table: OutboxTable): Promise<Record<string, number>> {
  const result = await pool.query<{ status: string; count: number }>(`SELECT status, count(*)::int AS count FROM ${table.quoted.table} GROUP BY status`);
  return Object.fromEntries(result.rows.map((row) => [row.status, row.count]));
}

function actions(table: OutboxTable, topic = "unused-topic"): OutboxActions {
  return new OutboxActions({ table, actionPool: pool, audit: new AuditLog(pool), replay: producer, outboxTopic: topic, replayTopics: [], logger: quietLogger });
}

/** The action's progress once it is no longer running, from its live updates. */
function untilEnded(subject: OutboxActions, actionId: number): Promise<ActionProgress> {
  return new Promise((resolve) => {
    const stop = subject.watch(actionId, (update) => {
      if (update.state !== "running") {
        stop();
        resolve(update);
      }
    });
  });
}

/** Submits and waits for the end of the action. */
async function submitAndWait(subject: OutboxActions, kind: "retry" | "replay", request: Parameters<OutboxActions["submit"]>[1], principal = operator) {
  const { progress } = await subject.submit(kind, request, principal);
  return (await subject.finished(progress.actionId)) ?? progress;
}

describe("outbox rows", () => {
  it("pages by keyset in both orders without gaps or repeats, failed rows by latest failure", async () => {
    const table = await createTable();
    await seed(table, [
      { status: "processed", count: 120 },
      { status: "failed", count: 75 },
    ]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOutboxRows(table, { order: "newest", limit: 50, cursor });
      expect(page.orderedBy).toBe("sequence");
      seen.push(...page.rows.map((row) => row.sequence));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(195);
    expect(new Set(seen).size).toBe(195);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));

    const failed: string[] = [];
    cursor = undefined;
    do {
      const page = await listOutboxRows(table, { status: "failed", order: "newest", limit: 20, cursor });
      expect(page.orderedBy).toBe("failedAt");
      for (const row of page.rows) expect(row.status).toBe("failed");
      failed.push(...page.rows.map((row) => row.updatedAt));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(failed).toHaveLength(75);
    expect(failed).toEqual([...failed].sort().reverse());
  });

  it("treats SQL-looking filter text as data", async () => {
    const table = await createTable();
    await seed(table, [{ status: "failed", count: 3, errors: ["x' OR '1'='1"] }]);
    const injected = await listOutboxRows(table, { eventType: "' OR 1=1 --", order: "newest", limit: 10 });
    expect(injected.rows).toHaveLength(0);
    const literal = await listOutboxRows(table, { error: "' OR '1'='1", order: "newest", limit: 10 });
    expect(literal.rows).toHaveLength(3);
    const wildcard = await listOutboxRows(table, { error: "%", order: "newest", limit: 10 });
    expect(wildcard.rows).toHaveLength(0);
  });
});

describe("failure groups", () => {
  it("groups failures by event type and signature with numbers, ids and quoted values stripped, and counts them exactly", async () => {
    const table = await createTable();
    await seed(table, [
      { status: "failed", count: 40, errors: ["Timeout after 3000 ms calling billing", "Timeout after 5000 ms calling billing"] },
      { status: "failed", count: 10, eventType: "UserRegistered", errors: [`HTTP 503 from search (request id ${randomUUID()})`, `HTTP 503 from search (request id ${randomUUID()})`] },
      { status: "failed", count: 6, errors: ["Validation failed: payload.email 'a@x' is not valid", "Validation failed: payload.email 'b@y' is not valid"] },
      { status: "processed", count: 30 },
    ]);
    const groups = await computeFailureGroups(table);
    expect(groups.totalFailed).toBe(56);
    expect(groups.groups.map((group) => [group.eventType, group.signature, group.count])).toEqual([
      ["OrderPlaced", "Timeout after <n> ms calling billing", 40],
      ["UserRegistered", "HTTP <n> from search (request id <id>)", 10],
      ["OrderPlaced", "Validation failed: payload.email ? is not valid", 6],
    ]);
    for (const group of groups.groups) expect(await countFailureGroup(table, group)).toBe(group.count);
  });

  it("recommends the failure-group index when grouping is slow without it; with it, the same groups and counts come from index-only scans", async () => {
    const table = await createTable();
    // Enough failures for the grouping's regular expressions to take well over SLOW_GROUPING_MS.
    await seed(table, [
      { status: "failed", count: 60_000, errors: [`Timeout after 3000 ms calling billing for "${randomUUID()}"`, "Timeout after 41 ms calling billing for 'x'"] },
      { status: "failed", count: 20_000, eventType: "UserRegistered", errors: ["HTTP 503 from search", "HTTP 502 from search"] },
    ]);
    const slow = await computeFailureGroups(table);
    expect(slow.index).toBeNull();
    expect(slow.computeMs).toBeGreaterThanOrEqual(SLOW_GROUPING_MS);
    expect(slow.indexAdvice).toBe(failureGroupIndexSql(table));

    await pool.query(slow.indexAdvice!);
    await pool.query(`VACUUM ${table.quoted.table}`); // the visibility map: index-only scans skip the table
    const fast = await computeFailureGroups(table);
    expect(fast.index).toEqual({ name: failureGroupIndexName(table), valid: true, covering: true });
    expect(fast.indexAdvice).toBeNull();
    expect(fast.groups).toEqual(slow.groups);
    expect(fast.groups.map((group) => [group.eventType, group.signature, group.count])).toEqual([
      ["OrderPlaced", "Timeout after <n> ms calling billing for ?", 60_000],
      ["UserRegistered", "HTTP <n> from search", 20_000],
    ]);
    for (const group of fast.groups) {
      expect(await countFailureGroup(table, group)).toBe(group.count);
      // The planner can answer from the index alone: the expression and the columns match.
      const query = countFailureGroupQuery(table, group);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SET LOCAL enable_seqscan = off");
        await client.query("SET LOCAL enable_bitmapscan = off");
        const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query.text}`, query.values);
        expect(plan.rows.map((row) => row["QUERY PLAN"]).join("\n")).toContain(`Index Only Scan using ${failureGroupIndexName(table)}`);
      } finally {
        await client.query("ROLLBACK");
        client.release();
      }
    }
  });
});

describe("retry", () => {
  it("previews with a dry run, asks for the count, then retries a failure group in batches, each change audited", async () => {
    const table = await createTable();
    const count = RETRY_BATCH_ROWS * 2 + 150;
    await seed(table, [
      { status: "failed", count, errors: ["Connection refused: svc:8001"] },
      { status: "failed", count: 5, errors: ["something else"] },
      { status: "pending", count: 7 },
    ]);
    const subject = actions(table);
    const group = { eventType: "OrderPlaced", signature: "Connection refused: svc:<n>" };

    const dry = await subject.submit("retry", { group, dryRun: true }, operator);
    expect(dry.progress).toMatchObject({ dryRun: true, matched: count, done: 0 });
    expect(dry.progress.sample).toHaveLength(10);
    expect(await statusCounts(table)).toEqual({ failed: count + 5, pending: 7 });

    const unconfirmed = subject.submit("retry", { group, dryRun: false, reason: "billing is back", idempotencyKey: randomUUID() }, operator);
    await expect(unconfirmed).rejects.toMatchObject({ status: 409, matched: count });

    const done = await submitAndWait(subject, "retry", { group, dryRun: false, reason: "billing is back", idempotencyKey: randomUUID(), confirmCount: count });
    expect(done).toMatchObject({ state: "succeeded", matched: count, done: count, skipped: 0, failed: 0 });
    expect(await statusCounts(table)).toEqual({ failed: 5, pending: 7 + count });
    const retried = await pool.query(`SELECT count(*)::int AS n FROM ${table.quoted.table} WHERE retry_count = 1 AND last_error IS NULL AND status = 'pending'`);
    expect(retried.rows[0].n).toBe(count);

    const audit = new AuditLog(pool);
    const entry = await audit.get(done.actionId);
    expect(entry).toMatchObject({ action: "outbox:retry", actor: operator.name, outcome: "succeeded", matched: count, changed: count, reason: "billing is back", target: { group } });
    const batches = await pool.query(`SELECT sum(cardinality(event_ids))::int AS n, count(*)::int AS batches FROM outbox_lens.audit_events WHERE audit_id = $1`, [done.actionId]);
    expect(batches.rows[0]).toEqual({ n: count, batches: 3 });
    const someRow = await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table} WHERE retry_count = 1 LIMIT 1`);
    expect((await audit.forEvent(someRow.rows[0]!.id)).map((e) => e.id)).toContain(done.actionId);
  });

  it("finds an event's actions through the index of hashed ids, not by reading every batch record", async () => {
    const entry = await pool.query<{ id: string }>(
      `INSERT INTO outbox_lens.audit_log (actor, actor_kind, role, action, target, outcome) VALUES ('lookup', 'user', 'operator', 'outbox:replay', '{}', 'succeeded') RETURNING id`,
    );
    const auditId = Number(entry.rows[0]!.id);
    const known = `lookup-${randomUUID()}`;
    // 300 batch records of 200 ids each, one of them holding the known id.
    await pool.query(
      `INSERT INTO outbox_lens.audit_events (audit_id, batch, event_ids)
       SELECT $1, b, ARRAY(SELECT CASE WHEN b = 150 AND i = 100 THEN $2 ELSE gen_random_uuid()::text || b END FROM generate_series(1, 200) AS i) FROM generate_series(1, 300) AS b`,
      [auditId, known],
    );
    await pool.query("ANALYZE outbox_lens.audit_events");
    let last: { text: string; values: unknown[] } = { text: "", values: [] };
    const recording = { query: (text: string, values: unknown[]) => ((last = { text, values }), pool.query(text, values)) } as unknown as pg.Pool;
    const audit = new AuditLog(recording);
    try {
      expect((await audit.forEvent(known)).map((e) => e.id)).toEqual([auditId]);
      const explained = await pool.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${last.text}`, last.values);
      const scans = planNodes(explained.rows[0]!["QUERY PLAN"][0]!.Plan).filter((node) => node["Relation Name"] === "audit_events" || node["Index Name"]?.startsWith("audit_events"));
      expect(scans.map((node) => `${node["Node Type"]} ${node["Index Name"] ?? node["Relation Name"]}`)).toEqual(["Bitmap Heap Scan audit_events", "Bitmap Index Scan audit_events_keys_idx"]);
      expect((await audit.forEvent(`lookup-${randomUUID()}`)).map((e) => e.id)).not.toContain(auditId);
    } finally {
      await pool.query("DELETE FROM outbox_lens.audit_log WHERE id = $1", [auditId]);
    }
  });

  it("changes each row exactly once when 50 retries of the same 100 failed rows run at once", async () => {
    const table = await createTable();
    await seed(table, [{ status: "failed", count: 100 }]);
    const ids = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table}`)).rows.map((row) => row.id);
    const subject = actions(table);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => submitAndWait(subject, "retry", { eventIds: ids, dryRun: false, reason: "race", idempotencyKey: randomUUID(), confirmCount: 100 })),
    );
    const changed = results.reduce((sum, result) => sum + result.done, 0);
    expect(changed).toBe(100);
    for (const result of results) expect(result.done + result.skipped).toBe(result.matched);
    const rows = await pool.query(`SELECT retry_count, status, count(*)::int AS n FROM ${table.quoted.table} GROUP BY 1, 2`);
    expect(rows.rows).toEqual([{ retry_count: 1, status: "pending", n: 100 }]);
  });

  it("never acts twice for one idempotency key, and refuses the key for a different request", async () => {
    const table = await createTable();
    await seed(table, [{ status: "failed", count: 3 }]);
    const ids = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table}`)).rows.map((row) => row.id);
    const subject = actions(table);
    const key = randomUUID();
    const first = await submitAndWait(subject, "retry", { eventIds: ids, dryRun: false, reason: "once", idempotencyKey: key });
    expect(first.done).toBe(3);
    await pool.query(`UPDATE ${table.quoted.table} SET status = 'failed'`);
    const again = await subject.submit("retry", { eventIds: ids, dryRun: false, reason: "once", idempotencyKey: key }, operator);
    expect(again.progress).toMatchObject({ actionId: first.actionId, duplicate: true, done: 3 });
    expect(await statusCounts(table)).toEqual({ failed: 3 });
    await expect(subject.submit("retry", { eventIds: ids.slice(0, 1), dryRun: false, reason: "once", idempotencyKey: key }, operator)).rejects.toThrow(/idempotencyKey/);
  });

  it("does nothing for a filter that matches nothing, and refuses a retry of rows that are not failed", async () => {
    const table = await createTable();
    await seed(table, [{ status: "processed", count: 4 }]);
    const subject = actions(table);
    const nothing = await subject.submit("retry", { filter: { eventType: "NoSuchType" }, dryRun: false, reason: "x", idempotencyKey: randomUUID() }, operator);
    expect(nothing.progress).toMatchObject({ matched: 0, done: 0, state: "succeeded" });
    const error = await subject.submit("retry", { filter: { status: "processed" }, dryRun: true }, operator).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionRequestError);
    expect((error as ActionRequestError).message).toMatch(/^filter\.status:/);
  });

  it("counts rows that changed meanwhile as skipped, never overwriting them", async () => {
    const table = await createTable();
    await seed(table, [{ status: "failed", count: 60 }]);
    const subject = actions(table);
    // 10 rows a second: about a third is done when the POST answers (after RESPOND_WITHIN_MS).
    const started = await subject.submit("retry", { filter: {}, dryRun: false, reason: "slow", idempotencyKey: randomUUID(), rowsPerSecond: 10 }, operator);
    expect(started.progress.state).toBe("running");
    // The processor handles the 5 rows the retry would reach last: they are no longer failed.
    await pool.query(
      `UPDATE ${table.quoted.table} SET status = 'processed', updated_at = clock_timestamp()
       WHERE event_id IN (SELECT event_id FROM ${table.quoted.table} WHERE status = 'failed' ORDER BY updated_at DESC LIMIT 5)`,
    );
    const done = await new Promise<Awaited<ReturnType<typeof subject.get>>>((resolve) => {
      const stop = subject.watch(started.progress.actionId, (update) => {
        if (update.state !== "running") {
          stop();
          resolve(update);
        }
      });
    });
    expect(done).toMatchObject({ state: "succeeded", matched: 60, done: 55, skipped: 5 });
    expect(await statusCounts(table)).toEqual({ pending: 55, processed: 5 });
  });

  it("stops between batches when cancelled; the audit entry says what committed", async () => {
    const table = await createTable();
    await seed(table, [{ status: "failed", count: 30 }]);
    const subject = actions(table);
    const started = await subject.submit("retry", { filter: {}, dryRun: false, reason: "slow", idempotencyKey: randomUUID(), rowsPerSecond: 5 }, operator);
    const cancelled = await subject.cancel(started.progress.actionId);
    expect(cancelled?.state).toBe("cancelled");
    const pending = (await statusCounts(table)).pending ?? 0;
    expect(cancelled?.done).toBe(pending);
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBeLessThan(30);
    const entry = await new AuditLog(pool).get(started.progress.actionId);
    expect(entry).toMatchObject({ outcome: "cancelled", changed: pending, skipped: 0 });
  });
});

describe("audit log", () => {
  it("lists entries newest first by id across pages (numerically, 9 before 10 never), and a principal's own only when asked", async () => {
    const audit = new AuditLog(pool);
    const actor: Principal = { kind: "token", name: `audit-test-${randomBytes(3).toString("hex")}`, role: "operator" };
    // The ids straddle a power of ten (…996 to …1007), where text order and number order differ.
    await pool.query(
      `SELECT setval('outbox_lens.audit_log_id_seq', (power(10, ceil(log(10, last_value + 12)))::bigint - 6)) FROM outbox_lens.audit_log_id_seq`,
    );
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { entry } = await audit.insert({ principal: actor, action: "outbox:retry", target: { filter: {} }, dryRun: true, reason: null, matched: i, idempotencyKey: null, requestHash: null, outcome: "succeeded", topic: null });
      ids.push(entry.id);
    }
    const first = await audit.list({ actor: actor.name, limit: 5 }, null);
    const second = await audit.list({ actor: actor.name, limit: 5, cursor: first.nextCursor! }, null);
    const third = await audit.list({ actor: actor.name, limit: 5, cursor: second.nextCursor! }, null);
    expect([...first.entries, ...second.entries, ...third.entries].map((entry) => entry.id)).toEqual([...ids].reverse());
    expect(third.nextCursor).toBeNull();
    const own = await audit.list({ limit: 50 }, { ...actor, name: "someone-else" });
    expect(own.scope).toBe("own");
    expect(own.entries.filter((entry) => entry.actor === actor.name)).toEqual([]);
  });
});

describe("faults", () => {
  it("when PostgreSQL drops the action's connections mid-retry, the action fails and the audit entry's counts are what committed", async () => {
    const table = await createTable();
    await seed(table, [{ status: "failed", count: 40 }]);
    const applicationName = `lens-test-kill-${randomBytes(3).toString("hex")}`;
    const actionPool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 5_000, lockTimeoutMs: 2_000, applicationName }, quietLogger);
    try {
      const subject = new OutboxActions({ table: outboxTable(actionPool, table.name), actionPool, audit: new AuditLog(actionPool), replay: producer, outboxTopic: "unused", replayTopics: [], logger: quietLogger });
      // 5 rows a second: the POST answers after about 10 rows, the rest is still to do.
      const started = await subject.submit("retry", { filter: {}, dryRun: false, reason: "kill", idempotencyKey: randomUUID(), rowsPerSecond: 5 }, operator);
      expect(started.progress.state).toBe("running");
      const ended = untilEnded(subject, started.progress.actionId);
      // Hold a lock on the row the next batch needs, and terminate the action's connection while
      // its batch waits for it: the batch's statement dies midway.
      const blocker = await pool.connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query(`SELECT 1 FROM ${table.quoted.table} WHERE status = 'failed' ORDER BY updated_at, event_id LIMIT 1 FOR UPDATE`);
        await expect
          .poll(async () => (await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [applicationName])).rows[0].n, { timeout: 10_000, interval: 20 })
          .toBe(1);
        await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [applicationName]);
      } finally {
        await blocker.query("ROLLBACK");
        blocker.release();
      }
      const outcome = await ended;
      expect(outcome?.state).toBe("failed");
      expect(outcome?.error).toMatch(/terminat|connection/i);
      const pending = (await statusCounts(table)).pending ?? 0;
      expect(outcome?.done).toBe(pending);
      expect(pending).toBeLessThan(40);
      // The audit entry is closed (through a new connection) with the committed count.
      await expect.poll(async () => (await new AuditLog(pool).get(started.progress.actionId))?.outcome, { timeout: 10_000 }).toBe("failed");
      expect((await new AuditLog(pool).get(started.progress.actionId))?.changed).toBe(pending);
    } finally {
      await actionPool.end();
    }
  });
});

describe("a table of another shape", () => {
  it("lists, groups and retries rows through a mapping of other column names and status values", async () => {
    const schema = `lens_test_${randomBytes(4).toString("hex")}`;
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`
      CREATE TABLE ${schema}.jobs (
        "Id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), seq bigserial UNIQUE, state text NOT NULL DEFAULT 'NEW',
        attempts int NOT NULL DEFAULT 0, inserted timestamptz NOT NULL DEFAULT now(), changed timestamptz NOT NULL DEFAULT clock_timestamp(),
        done_at timestamptz, error text, kind text NOT NULL DEFAULT 'K', agg_type text NOT NULL DEFAULT 'A', agg_id text NOT NULL DEFAULT '1',
        body jsonb NOT NULL DEFAULT '{}')`);
    await pool.query(`INSERT INTO ${schema}.jobs (state, error) SELECT 'ERROR', 'quota 17 exceeded' FROM generate_series(1, 4)`);
    await pool.query(`INSERT INTO ${schema}.jobs (state) SELECT 'DONE' FROM generate_series(1, 3)`);
    const table = outboxTable(
      pool,
      { schema, table: "jobs", qualified: `${schema}.jobs` },
      {
        statuses: { pending: "NEW", processed: "DONE", failed: "ERROR" },
        columns: {
          eventId: "Id", sequence: "seq", status: "state", retryCount: "attempts", createdAt: "inserted", updatedAt: "changed",
          processedAt: "done_at", lastError: "error", eventType: "kind", aggregateType: "agg_type", aggregateId: "agg_id", payload: "body",
        },
      },
    );
    const page = await listOutboxRows(table, { status: "failed", order: "oldest", limit: 10 });
    expect(page.rows.map((row) => row.status)).toEqual(["failed", "failed", "failed", "failed"]);
    const groups = await computeFailureGroups(table);
    expect(groups.groups).toMatchObject([{ eventType: "K", signature: "quota <n> exceeded", count: 4 }]);
    // The recommended index is written with the mapping's names and status value.
    await pool.query(failureGroupIndexSql(table));
    expect((await computeFailureGroups(table)).index).toEqual({ name: "jobs_failure_group_idx", valid: true, covering: true });
    const done = await submitAndWait(actions(table), "retry", { group: { eventType: "K", signature: "quota <n> exceeded" }, dryRun: false, reason: "quota raised", idempotencyKey: randomUUID() });
    expect(done).toMatchObject({ matched: 4, done: 4 });
    const states = await pool.query(`SELECT state, attempts, count(*)::int AS n FROM ${schema}.jobs GROUP BY 1, 2 ORDER BY 1`);
    expect(states.rows).toEqual([
      { state: "DONE", attempts: 0, n: 3 },
      { state: "NEW", attempts: 1, n: 4 },
    ]);
  });
});

describe("replay", () => {
  it("produces the rows' change events with their keys and replay headers, acknowledged by Kafka, and audits them", async () => {
    const table = await createTable();
    await seed(table, [
      { status: "pending", count: 12 },
      { status: "processed", count: 5 },
    ]);
    const topic = `lens-replay-${randomBytes(4).toString("hex")}`;
    topics.push(topic);
    await createTopic(admin, topic, 3);
    const subject = actions(table, topic);
    const done = await submitAndWait(subject, "replay", { filter: { status: "pending" }, dryRun: false, reason: "never reached the topic", idempotencyKey: randomUUID() });
    expect(done).toMatchObject({ state: "succeeded", matched: 12, done: 12, failed: 0, topic });

    const row = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table} WHERE status = 'pending' ORDER BY sequence_id LIMIT 1`)).rows[0]!;
    const record = await findRecord(
      { brokers: env.KAFKA_BROKERS!.split(","), topic, timeoutMs: 20_000, maxRecords: 100, logger: quietLogger },
      (candidate) => candidate.key?.toString() === JSON.stringify({ event_id: row.id }),
    );
    expect(record.headers).toMatchObject({ "x-replay-id": String(done.actionId), "x-replayed-by": `user:${operator.name}`, "x-replay-reason": "never reached the topic" });
    const decoded = decodeRecord({ ...record, headers: record.headers });
    expect(decoded.kind).toBe("change");
    if (decoded.kind === "change") {
      expect(decoded.op).toBe("c");
      expect(decoded.outbox.eventId).toBe(row.id);
      expect(decoded.outbox.status).toBe("pending");
      expect(decoded.after?.payload).toEqual({ n: 1 });
    }
    // As Debezium's schemaless JSON carries the row: every column in the table's order, the jsonb
    // column as its text, timestamps as PostgreSQL writes them in JSON.
    const raw = JSON.parse(record.value!.toString()) as { after: Record<string, unknown> };
    const stored = await pool.query<{ image: Record<string, unknown>; payload: string }>(`SELECT row_to_json(o) AS image, payload::text AS payload FROM ${table.quoted.table} o WHERE event_id = $1`, [row.id]);
    const { image, payload } = stored.rows[0]!;
    expect(Object.keys(raw.after)).toEqual(Object.keys(image));
    expect(raw.after).toEqual({ ...image, payload });
    expect(await new AuditLog(pool).get(done.actionId)).toMatchObject({ action: "outbox:replay", changed: 12, outcome: "succeeded", topic });
  });

  it("shows in the row's trace when it came long after the row's last change, with the record it produced", async () => {
    const table = await createTable();
    await seed(table, [{ status: "processed", count: 3 }]);
    // The rows last changed an hour ago: their own window ends long before the replay.
    await pool.query(`UPDATE ${table.quoted.table} SET created_at = created_at - interval '1 hour', updated_at = updated_at - interval '1 hour', processed_at = now() - interval '1 hour'`);
    const topic = `lens-replay-trace-${randomBytes(4).toString("hex")}`;
    topics.push(topic);
    await createTopic(admin, topic, 3);
    const done = await submitAndWait(actions(table, topic), "replay", { filter: {}, dryRun: false, reason: "late", idempotencyKey: randomUUID() });
    expect(done).toMatchObject({ state: "succeeded", done: 3 });
    const eventId = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table} ORDER BY sequence_id LIMIT 1`)).rows[0]!.id;

    const fetcher = new PartitionFetcher(kafkaClient, quietLogger);
    try {
      // The runtime's parts a trace uses, with the live tail's recent records given.
      const runtimeWith = (tail: DecodedRecord[], outboxTopic = topic) =>
        ({
          config: { kafka: { outboxTopic } },
          outbox: table,
          kafkaAdmin: admin,
          tail: { recentRecords: () => tail },
          metrics: { latest: () => null },
          audit: new AuditLog(pool),
          messages: { reader: { fetcher } },
        }) as unknown as Runtime;
      // The tail holds nothing: the trace searches the topic.
      const trace = await traceEvent(runtimeWith([]), eventId, []);
      const offsets = await topicEndOffsets(admin, topic);
      expect(trace.messagesFrom).toBe("search");
      expect(trace.sources).toEqual([{ topic, partition: trace.partition, from: "search" }]);
      expect(trace.searchNote).toBeNull();
      expect(trace.messages).toHaveLength(1);
      expect(trace.messages[0]).toMatchObject({ topic, partition: trace.partition, op: "c", status: "processed", replayId: String(done.actionId) });
      expect(Number(trace.messages[0]!.offset)).toBeLessThan(offsets.get(trace.partition!)!);
      expect(trace.actions).toEqual([expect.objectContaining({ id: done.actionId, action: "outbox:replay", topic })]);
      expect(trace.hops.find((hop) => hop.hop === "outboxToKafka")).toMatchObject({ to: null, ms: null });

      // The tail holds the replay's record only (the insert has aged out of it): a replay's record
      // is not the row's insert, so the trace still searches rather than showing the tail's part.
      const replayed = await findRecord(
        { brokers: env.KAFKA_BROKERS!.split(","), topic, timeoutMs: 20_000, maxRecords: 100, logger: quietLogger },
        (candidate) => candidate.key?.toString() === JSON.stringify({ event_id: eventId }),
      );
      const fromTailOnly = await traceEvent(runtimeWith([decodeRecord(replayed)]), eventId, []);
      expect(fromTailOnly.messagesFrom).toBe("search");
      expect(fromTailOnly.messages).toEqual(trace.messages);

      // The replay went to a replay topic, not the outbox topic: the trace searches both.
      const outboxTopic = `lens-replay-trace-outbox-${randomBytes(4).toString("hex")}`;
      topics.push(outboxTopic);
      await createTopic(admin, outboxTopic, 2);
      const toReplayTopic = await traceEvent(runtimeWith([], outboxTopic), eventId, []);
      expect(toReplayTopic.messagesFrom).toBe("search");
      expect(toReplayTopic.messages).toEqual(trace.messages);
      expect(toReplayTopic.partition).not.toBeNull();
      expect(toReplayTopic.sources).toEqual([
        { topic: outboxTopic, partition: toReplayTopic.partition, from: "search" },
        { topic, partition: trace.partition, from: "search" },
      ]);
    } finally {
      await fetcher.disconnect();
    }
  });

  it("cuts batches into requests the topic accepts (max.message.bytes), keeping sequence order, and counts what Kafka acknowledged before a record too large", async () => {
    const table = await createTable();
    // 260 rows of ~1.2 KB: ~310 KB, against a topic of one partition that takes 48 KiB per record batch.
    await pool.query(
      `INSERT INTO ${table.quoted.table} (aggregate_id, aggregate_type, event_type, payload, status)
       SELECT 'agg-' || i, 'Order', 'OrderPlaced', jsonb_build_object('n', i, 'pad', repeat('x', 1200)), 'pending' FROM generate_series(1, 260) AS i`,
    );
    const topic = `lens-replay-small-${randomBytes(4).toString("hex")}`;
    topics.push(topic);
    await createTopic(admin, topic, 1, 1, { "max.message.bytes": String(48 * 1024) });
    const subject = actions(table, topic);
    const done = await submitAndWait(subject, "replay", { filter: {}, dryRun: false, reason: "small batches", idempotencyKey: randomUUID(), confirmCount: 260 });
    expect(done).toMatchObject({ state: "succeeded", matched: 260, done: 260, failed: 0 });
    const ids = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table} ORDER BY sequence_id`)).rows.map((row) => row.id);
    const onTopic: string[] = [];
    await findRecord({ brokers: env.KAFKA_BROKERS!.split(","), topic, timeoutMs: 20_000, maxRecords: 1_000, logger: quietLogger }, (record) => {
      onTopic.push((JSON.parse(record.key!.toString()) as { event_id: string }).event_id);
      return onTopic.length === ids.length;
    });
    expect(onTopic).toEqual(ids);

    // A row whose record no batch can carry, in the second batch of 100 (rowsPerSecond 100): the
    // first batch is produced and counted; the replay stops there, naming the row.
    const large = ids[150]!;
    await pool.query(`UPDATE ${table.quoted.table} SET payload = jsonb_build_object('pad', repeat('y', 60000)) WHERE event_id = $1`, [large]);
    const stopped = await submitAndWait(subject, "replay", { filter: {}, dryRun: false, reason: "too large", idempotencyKey: randomUUID(), rowsPerSecond: 100, confirmCount: 260 });
    expect(stopped).toMatchObject({ state: "failed", matched: 260, done: 100, failed: 100 });
    expect(stopped.error).toContain(`the record of event ${large} is`);
    expect(stopped.error).toContain(`max.message.bytes ${48 * 1024}`);
    expect(await new AuditLog(pool).get(stopped.actionId)).toMatchObject({ outcome: "failed", changed: 100, failed: 100 });
    const recorded = await pool.query<{ n: number }>(`SELECT sum(cardinality(event_ids))::int AS n FROM outbox_lens.audit_events WHERE audit_id = $1`, [stopped.actionId]);
    expect(recorded.rows[0]!.n).toBe(100);
  });

  it("reads batches of large rows up to REPLAY_READ_MAX_BYTES, and rows in ranges of the matched rows, each once and in order", async () => {
    const table = await createTable();
    // 40 rows, every other one matched: 20 of ~600 KB (~12 MB), more than one read may hold.
    await pool.query(
      `INSERT INTO ${table.quoted.table} (aggregate_id, aggregate_type, event_type, payload, status)
       SELECT 'agg-' || i, CASE WHEN i % 2 = 0 THEN 'Large' ELSE 'Other' END, 'OrderPlaced', jsonb_build_object('n', i, 'pad', repeat('z', 600000)), 'pending' FROM generate_series(1, 40) AS i`,
    );
    const topic = `lens-replay-large-${randomBytes(4).toString("hex")}`;
    topics.push(topic);
    await createTopic(admin, topic, 2);
    const done = await submitAndWait(actions(table, topic), "replay", { filter: { aggregateType: "Large" }, dryRun: false, reason: "large rows", idempotencyKey: randomUUID() });
    expect(done).toMatchObject({ state: "succeeded", matched: 20, done: 20, failed: 0 });
    const ids = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${table.quoted.table} WHERE aggregate_type = 'Large' ORDER BY sequence_id`)).rows.map((row) => row.id);
    const batches = await pool.query<{ ids: string[] }>(`SELECT event_ids AS ids FROM outbox_lens.audit_events WHERE audit_id = $1 ORDER BY batch`, [done.actionId]);
    // 8 MiB hold 13 rows of ~600 KB and the one that passes it.
    const perRead = Math.ceil(REPLAY_READ_MAX_BYTES / 600_000);
    expect(batches.rows.map((row) => row.ids.length)).toEqual([perRead, 20 - perRead]);
    expect(batches.rows.flatMap((row) => row.ids)).toEqual(ids);

    // At 15 rows/s, batches of 15 rows: two ranges (15 rows, then 5), read ahead together; the
    // first passes the byte budget and is read on from its last row while the second waits.
    const ranged = await submitAndWait(actions(table, topic), "replay", { filter: { aggregateType: "Large" }, dryRun: false, reason: "large rows in ranges", idempotencyKey: randomUUID(), rowsPerSecond: 15 });
    expect(ranged).toMatchObject({ state: "succeeded", matched: 20, done: 20, failed: 0 });
    const rangedBatches = await pool.query<{ ids: string[] }>(`SELECT event_ids AS ids FROM outbox_lens.audit_events WHERE audit_id = $1 ORDER BY batch`, [ranged.actionId]);
    expect(rangedBatches.rows.map((row) => row.ids.length)).toEqual([perRead, 15 - perRead, 5]);
    expect(rangedBatches.rows.flatMap((row) => row.ids)).toEqual(ids);
  });

  it("replays the rows a filter of SQL-looking text picks, each record carrying the row's text byte for byte", async () => {
    const table = await createTable();
    // Text that would break SQL built around it (quotes, an array literal's end, a placeholder, a
    // backslash), and a payload of multi-byte characters, quotes and escapes.
    const hostile = `it's '}'::bigint[]); DROP TABLE ${table.quoted.table}; -- \\ $1 ☃`;
    const text = `é ☃ 😀 "quoted" \\ back\nslash`;
    await pool.query(
      `INSERT INTO ${table.quoted.table} (aggregate_id, aggregate_type, event_type, payload, status, last_error)
       SELECT 'agg-' || i, 'Order', 'OrderPlaced', jsonb_build_object('n', i, 'text', $1::text), 'failed', CASE WHEN i % 2 = 0 THEN $2 ELSE 'other' END
       FROM generate_series(1, 30) AS i`,
      [text, hostile],
    );
    const topic = `lens-replay-text-${randomBytes(4).toString("hex")}`;
    topics.push(topic);
    await createTopic(admin, topic, 2);
    const done = await submitAndWait(actions(table, topic), "replay", { filter: { status: "failed", error: hostile }, dryRun: false, reason: "hostile text", idempotencyKey: randomUUID() });
    expect(done).toMatchObject({ state: "succeeded", matched: 15, done: 15, failed: 0 });

    const stored = await pool.query<{ id: string; payload: string }>(`SELECT event_id::text AS id, payload::text AS payload FROM ${table.quoted.table} WHERE last_error = $1 ORDER BY sequence_id`, [hostile]);
    expect(stored.rows).toHaveLength(15);
    const onTopic = new Map<string, { payload: string; last_error: string }>();
    await findRecord({ brokers: env.KAFKA_BROKERS!.split(","), topic, timeoutMs: 20_000, maxRecords: 100, logger: quietLogger }, (record) => {
      const { event_id } = JSON.parse(record.key!.toString("utf8")) as { event_id: string };
      onTopic.set(event_id, (JSON.parse(record.value!.toString("utf8")) as { after: { payload: string; last_error: string } }).after);
      return onTopic.size === 15;
    });
    for (const { id, payload } of stored.rows) {
      expect(onTopic.get(id)).toMatchObject({ payload, last_error: hostile });
      expect(JSON.parse(onTopic.get(id)!.payload)).toMatchObject({ text });
    }
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${table.quoted.table}`)).rows[0]).toEqual({ n: 30 });
  });

  it("when PostgreSQL drops the action's connections mid-replay, the replay fails and its counts are the records on the topic", async () => {
    const table = await createTable();
    await seed(table, [{ status: "pending", count: 60 }]);
    const topic = `lens-replay-kill-${randomBytes(4).toString("hex")}`;
    topics.push(topic);
    await createTopic(admin, topic, 2);
    const applicationName = `lens-test-kill-${randomBytes(3).toString("hex")}`;
    const actionPool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 5_000, applicationName }, quietLogger);
    try {
      const subject = new OutboxActions({ table: outboxTable(actionPool, table.name), actionPool, audit: new AuditLog(actionPool), replay: producer, outboxTopic: topic, replayTopics: [], logger: quietLogger });
      // Batches of 5 rows, 5 a second: the replay is still reading when its connections go.
      const started = await subject.submit("replay", { filter: {}, dryRun: false, reason: "kill", idempotencyKey: randomUUID(), rowsPerSecond: 5 }, operator);
      const ended = untilEnded(subject, started.progress.actionId);
      await expect.poll(async () => (await subject.get(started.progress.actionId))?.done, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(5);
      // Until the replay has ended: a connection the pool opens again after one kill is killed too.
      const killing = (async () => {
        while ((await subject.get(started.progress.actionId))?.state === "running") {
          await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [applicationName]);
        }
      })();
      const outcome = await ended;
      await killing;
      expect(outcome?.state).toBe("failed");
      expect(outcome?.error).toMatch(/terminat|connection/i);
      const onTopic = [...(await topicEndOffsets(admin, topic)).values()].reduce((sum, offset) => sum + offset, 0);
      expect(outcome?.done).toBe(onTopic);
      expect(onTopic).toBeGreaterThanOrEqual(5);
      expect(onTopic).toBeLessThan(60);
      // The audit entry is closed (through a new connection) with what Kafka acknowledged.
      await expect.poll(async () => (await new AuditLog(pool).get(started.progress.actionId))?.outcome, { timeout: 10_000 }).toBe("failed");
      expect((await new AuditLog(pool).get(started.progress.actionId))?.changed).toBe(onTopic);
    } finally {
      await actionPool.end();
    }
  });

  it("still produces to one topic after another it produced to was deleted", async () => {
    const [gone, kept] = [`lens-replay-gone-${randomBytes(4).toString("hex")}`, `lens-replay-kept-${randomBytes(4).toString("hex")}`];
    topics.push(kept);
    await createTopic(admin, gone, 1);
    await createTopic(admin, kept, 1);
    const record = { key: "k", value: "v", headers: {} };
    await producer.send(await producer.checkTopic(gone), [record]);
    await deleteTopic(admin, gone);
    await producer.send(await producer.checkTopic(kept), [record]);
    await expect(producer.checkTopic(gone)).rejects.toThrow(/does not exist/);
  });

  it("refuses a topic that does not exist, producing nothing", async () => {
    const table = await createTable();
    await seed(table, [{ status: "pending", count: 2 }]);
    const subject = new OutboxActions({
      table,
      actionPool: pool,
      audit: new AuditLog(pool),
      replay: producer,
      outboxTopic: "postgres.activity.event_outbox",
      replayTopics: ["lens-no-such-topic"],
      logger: quietLogger,
    });
    const error = await subject.submit("replay", { filter: {}, dryRun: false, reason: "x", idempotencyKey: randomUUID(), topic: "lens-no-such-topic" }, operator).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionRequestError);
    expect((error as ActionRequestError).message).toMatch(/topic: topic lens-no-such-topic does not exist/);
    const other = await subject.submit("replay", { filter: {}, dryRun: true, topic: "not-allowed" }, operator).catch((e: unknown) => e);
    expect((other as ActionRequestError).message).toMatch(/neither the outbox topic/);
  });
});

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}
