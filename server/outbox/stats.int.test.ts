// The outbox stats poller against the real PostgreSQL of the test stack. Each test works on its
// own copy of the seed table (stack/sql/outbox.sql) in a schema of its own, which the event
// processor does not touch, so every count and rate is known exactly; the replication slot is
// the real one Debezium streams from.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { stackConfig, stackEnv } from "@/stack/config";
import { generateOperation, type OutboxEvent } from "@/stack/workload/events";
import { insertEvents } from "@/stack/workload/run";
import type { QualifiedTableName } from "@/server/env";
import { silentLogger as quietLogger } from "@/server/log";
import { createPool } from "./db";
import { DEFAULT_OUTBOX_MAPPING } from "./mapping";
import { OutboxStatsPoller, outboxStatsQueries, type OutboxStatsPollerOptions } from "./stats";

const env = stackEnv(stackConfig({ profile: "test" }));
const SEED_SQL = readFileSync(new URL("../../stack/sql/outbox.sql", import.meta.url), "utf8");

let pool: pg.Pool;
const schemas: string[] = [];

beforeAll(() => {
  pool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 5_000 }, quietLogger);
});
afterEach(async () => {
  for (const schema of schemas.splice(0)) await pool.query(`DROP SCHEMA ${schema} CASCADE`);
});
afterAll(async () => {
  await pool.end();
});

/** A fresh copy of the seed table in a schema of its own: same columns, constraints and partial indexes. */
async function createOutboxTable(): Promise<QualifiedTableName> {
  const schema = `lens_test_${randomBytes(4).toString("hex")}`;
  schemas.push(schema);
  await pool.query(SEED_SQL.replace(/\bactivity\b/g, schema));
  return { schema, table: "event_outbox", qualified: `${schema}.event_outbox` };
}

function events(count: number): OutboxEvent[] {
  const result: OutboxEvent[] = [];
  while (result.length < count) result.push(...generateOperation());
  return result.slice(0, count);
}

function poller(table: QualifiedTableName, options: Partial<OutboxStatsPollerOptions> = {}): OutboxStatsPoller {
  return new OutboxStatsPoller({ pool, table, replicationSlot: null, logger: quietLogger, ...options });
}

/** Moves `count` rows (oldest first) from one status to another, the way a processor does. */
async function move(table: QualifiedTableName, from: string, to: string, count: number, extra = ""): Promise<void> {
  await pool.query(
    `UPDATE ${table.qualified} SET status = $2, updated_at = clock_timestamp()${extra}
     WHERE event_id IN (SELECT event_id FROM ${table.qualified} WHERE status = $1 ORDER BY sequence_id LIMIT $3)`,
    [from, to, count],
  );
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Every node of an EXPLAIN (FORMAT JSON) plan, subplans included. */
function planNodes(explained: unknown): PlanNode[] {
  const root = (explained as Array<{ Plan: PlanNode }>)[0]!.Plan;
  const nodes: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    nodes.push(node);
    node.Plans?.forEach(visit);
  };
  visit(root);
  return nodes;
}

async function groupByStatus(table: QualifiedTableName): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; count: string }>(`SELECT status, count(*) FROM ${table.qualified} GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
}

describe("OutboxStatsPoller counts", () => {
  it("counts every status exactly on a small table, equal to SELECT status, count(*) … GROUP BY status", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(40));
    await move(table, "pending", "processed", 25, ", processed_at = clock_timestamp()");
    await move(table, "pending", "failed", 6, ", last_error = 'boom'");

    const stats = await poller(table).poll();

    expect(stats.error).toBeNull();
    expect(stats.table).toBe(table.qualified);
    const expected = await groupByStatus(table);
    expect(expected).toEqual({ pending: 9, processed: 25, failed: 6 });
    expect(stats.counts).toEqual([
      { status: "pending", count: 9, exact: true },
      { status: "processed", count: 25, exact: true },
      { status: "failed", count: 6, exact: true },
    ]);
  });

  it("estimates the common status from reltuples above the threshold and labels it, while pending and failed stay exact", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(300));
    await move(table, "pending", "processed", 280);
    await move(table, "pending", "failed", 7);
    // ANALYZE of a table this small samples every row, so reltuples is the true row count and
    // the estimate can be checked exactly.
    await pool.query(`ANALYZE ${table.qualified}`);

    const stats = await poller(table, { exactCountMaxRows: 100 }).poll();

    expect(stats.counts).toEqual([
      { status: "pending", count: 13, exact: true },
      { status: "processed", count: 280, exact: false },
      { status: "failed", count: 7, exact: true },
    ]);
  });

  it("sizes a partitioned table by its partitions, so a big one is estimated rather than counted in full", async () => {
    const table = await createOutboxTable();
    const partitioned: QualifiedTableName = { schema: table.schema, table: "event_outbox_by_seq", qualified: `${table.schema}.event_outbox_by_seq` };
    await pool.query(`
      CREATE TABLE ${partitioned.qualified} (LIKE ${table.qualified} INCLUDING DEFAULTS, PRIMARY KEY (event_id, sequence_id))
      PARTITION BY RANGE (sequence_id)`);
    await pool.query(`CREATE TABLE ${partitioned.qualified}_1 PARTITION OF ${partitioned.qualified} FOR VALUES FROM (MINVALUE) TO (150)`);
    await pool.query(`CREATE TABLE ${partitioned.qualified}_2 PARTITION OF ${partitioned.qualified} FOR VALUES FROM (150) TO (MAXVALUE)`);
    await pool.query(`CREATE INDEX ON ${partitioned.qualified} (sequence_id) WHERE status = 'pending'`);
    await pool.query(`CREATE INDEX ON ${partitioned.qualified} (updated_at, event_id) WHERE status = 'failed'`);
    await insertEvents(pool, partitioned.qualified, events(300));
    await pool.query(`UPDATE ${partitioned.qualified} SET status = 'processed' WHERE sequence_id > 20`);
    await pool.query(`UPDATE ${partitioned.qualified} SET status = 'failed' WHERE sequence_id <= 5`);
    await pool.query(`ANALYZE ${partitioned.qualified}_1, ${partitioned.qualified}_2`);

    const estimated = await poller(partitioned, { exactCountMaxRows: 100 }).poll();
    expect(estimated.error).toBeNull();
    expect(estimated.counts).toEqual([
      { status: "pending", count: 15, exact: true },
      { status: "processed", count: 280, exact: false },
      { status: "failed", count: 5, exact: true },
    ]);
    const exact = await poller(partitioned).poll();
    expect(exact.counts.every((c) => c.exact)).toBe(true);
  });

  it("reads pending and failed through their partial indexes and never scans the table on the estimated path", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(50));
    const sql = outboxStatsQueries(table, DEFAULT_OUTBOX_MAPPING);
    const client = await pool.connect();
    try {
      // With sequential scans priced out, a plan still shows one only when no index can answer.
      await client.query("SET enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${sql.main}`, [
        sql.regclass,
        "pending",
        "failed",
        new Date(0).toISOString(),
        2_000,
        null,
      ]);
      const nodes = planNodes(rows[0]!["QUERY PLAN"]);
      const indexes = new Set(nodes.map((node) => node["Index Name"]).filter(Boolean));
      expect(indexes).toContain("event_outbox_pending_idx");
      expect(indexes).toContain("event_outbox_failed_idx");
      expect(nodes.filter((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "event_outbox")).toEqual([]);
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
  });

  it("measures the oldest pending row's age by insert order, and reports none when nothing is pending", async () => {
    const table = await createOutboxTable();
    await pool.query(
      `INSERT INTO ${table.qualified} (aggregate_id, aggregate_type, event_type, payload, created_at)
       VALUES ('a-1', 'User', 'UserCreated', '{}', now() - interval '30 seconds')`,
    );
    await insertEvents(pool, table.qualified, events(5));
    const statsPoller = poller(table);

    const withBacklog = await statsPoller.poll();
    expect(withBacklog.oldestPendingAgeMs).toBeGreaterThanOrEqual(30_000);
    expect(withBacklog.oldestPendingAgeMs).toBeLessThan(40_000);

    await move(table, "pending", "processed", 6);
    const drained = await statsPoller.poll();
    expect(drained.oldestPendingAgeMs).toBeNull();
  });

  it("reads a table whose columns, statuses and names differ from the seed, through the mapping", async () => {
    const schema = `Lens_Test_${randomBytes(4).toString("hex")}`;
    schemas.push(`"${schema}"`);
    const table: QualifiedTableName = { schema, table: "Outbox Events", qualified: `"${schema}"."Outbox Events"` };
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`
      CREATE TABLE ${table.qualified} (
        "Id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), seq bigserial UNIQUE, state text NOT NULL DEFAULT 'NEW',
        attempts int NOT NULL DEFAULT 0, inserted timestamptz NOT NULL DEFAULT now(), changed timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz, error text, kind text NOT NULL DEFAULT 'K', agg_type text NOT NULL DEFAULT 'A', agg_id text NOT NULL DEFAULT '1',
        body jsonb NOT NULL DEFAULT '{}')`);
    await pool.query(`CREATE INDEX ON ${table.qualified} (seq) WHERE state = 'NEW'`);
    await pool.query(`CREATE INDEX ON ${table.qualified} (changed, "Id") WHERE state = 'ERROR'`);
    await pool.query(`INSERT INTO ${table.qualified} (state, attempts) SELECT s, a FROM unnest(
      array['NEW','NEW','DONE','DONE','DONE','ERROR'], array[0, 2, 0, 0, 1, 5]) AS v(s, a)`);
    const mapping = {
      statuses: { pending: "NEW", processed: "DONE", failed: "ERROR" },
      columns: {
        eventId: "Id", sequence: "seq", status: "state", retryCount: "attempts", createdAt: "inserted", updatedAt: "changed",
        processedAt: "done_at", lastError: "error", eventType: "kind", aggregateType: "agg_type", aggregateId: "agg_id",
        payload: "body",
      },
    };

    const stats = await poller(table, { mapping }).poll();

    expect(stats.error).toBeNull();
    expect(stats.counts).toEqual([
      { status: "NEW", count: 2, exact: true },
      { status: "DONE", count: 3, exact: true },
      { status: "ERROR", count: 1, exact: true },
    ]);
    expect(stats.retryDistribution).toEqual([
      { retryCount: 0, count: 1 },
      { retryCount: 2, count: 1 },
      { retryCount: 5, count: 1 },
    ]);
    expect(stats.oldestPendingAgeMs).not.toBeNull();
  });

  it("gives the retry distribution over pending and failed rows only", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(20));
    await pool.query(`UPDATE ${table.qualified} SET retry_count = 3, status = 'failed' WHERE sequence_id <= 4`);
    await pool.query(`UPDATE ${table.qualified} SET retry_count = 1 WHERE sequence_id BETWEEN 5 AND 6`);
    // Processed rows with retries do not count: the distribution is about rows still in trouble.
    await pool.query(`UPDATE ${table.qualified} SET retry_count = 9, status = 'processed' WHERE sequence_id > 16`);

    const stats = await poller(table).poll();

    expect(stats.retryDistribution).toEqual([
      { retryCount: 0, count: 10 },
      { retryCount: 1, count: 2 },
      { retryCount: 3, count: 4 },
    ]);
  });
});

describe("OutboxStatsPoller rates", () => {
  it("reports the rows inserted between two polls as the insert rate, and no rate on the first poll", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(10));
    const statsPoller = poller(table);

    const first = await statsPoller.poll();
    expect(first.insertRate).toBeNull();
    expect(first.processedRate).toBeNull();
    expect(statsPoller.lastInterval).toBeNull();

    await insertEvents(pool, table.qualified, events(137));
    await insertEvents(pool, table.qualified, events(63));
    const second = await statsPoller.poll();

    const interval = statsPoller.lastInterval!;
    expect(interval.inserted).toBe(200);
    expect(interval.seconds).toBeGreaterThan(0);
    expect(second.insertRate).toBeCloseTo(200 / interval.seconds, 9);
  });

  it("derives the processed rate exactly from inserts and the pending and failed deltas, retries included", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(10));
    const statsPoller = poller(table);
    await statsPoller.poll();

    // pending→processed 4, pending→failed 3, failed→pending 1 (a retry), failed→processed 1, 5 inserts:
    // 5 rows became processed.
    await move(table, "pending", "processed", 4);
    await move(table, "pending", "failed", 3);
    await move(table, "failed", "pending", 1);
    await move(table, "failed", "processed", 1);
    await insertEvents(pool, table.qualified, events(5));
    const stats = await statsPoller.poll();

    const interval = statsPoller.lastInterval!;
    expect(interval.inserted).toBe(5);
    expect(interval.becameProcessed).toBe(5);
    expect(stats.processedRate).toBeCloseTo(5 / interval.seconds, 9);
    expect(stats.counts.find((c) => c.status === "processed")?.count).toBe(5);
  });

  it("counts each failure once across polls, once its commit grace has passed", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(12));
    const graceMs = 200;
    const statsPoller = poller(table, { failedCommitGraceMs: graceMs });
    await statsPoller.poll();

    await move(table, "pending", "failed", 3);
    await move(table, "pending", "failed", 4);
    let failedSeen = 0;
    const countInterval = async () => {
      const stats = await statsPoller.poll();
      const interval = statsPoller.lastInterval!;
      failedSeen += interval.failed;
      expect(stats.failedRate).toBeCloseTo(interval.failed / interval.failedSeconds, 9);
      return failedSeen;
    };
    await vi.waitFor(async () => expect(await countInterval()).toBe(7), { timeout: 10_000, interval: 50 });
    // Later polls do not count the same rows again.
    const settledAt = Date.now();
    await vi.waitFor(async () => {
      await countInterval();
      expect(Date.now() - settledAt).toBeGreaterThan(graceMs * 2);
    }, { timeout: 10_000, interval: 50 });
    expect(failedSeen).toBe(7);
  });
});

describe("OutboxStatsPoller replication slot", () => {
  it("reports the connector's slot active with a non-negative lag while Debezium streams", async () => {
    const table = await createOutboxTable();
    const stats = await poller(table, { replicationSlot: env.REPLICATION_SLOT! }).poll();
    expect(stats.slot).not.toBeNull();
    expect(stats.slot!.name).toBe(env.REPLICATION_SLOT);
    expect(stats.slot!.active).toBe(true);
    expect(stats.slot!.lagBytes).not.toBeNull();
    expect(stats.slot!.lagBytes!).toBeGreaterThanOrEqual(0);
  });

  it("reports a configured slot that does not exist as inactive with unknown lag, and no slot when none is configured", async () => {
    const table = await createOutboxTable();
    const missing = await poller(table, { replicationSlot: "lens_no_such_slot" }).poll();
    expect(missing.slot).toEqual({ name: "lens_no_such_slot", active: false, lagBytes: null });
    const unconfigured = await poller(table).poll();
    expect(unconfigured.slot).toBeNull();
  });
});

describe("OutboxStatsPoller failures", () => {
  it("returns the last good numbers with the error when a poll times out on a locked table", async () => {
    const table = await createOutboxTable();
    await insertEvents(pool, table.qualified, events(8));
    const statsPoller = poller(table, { pollTimeoutMs: 300 });
    const good = await statsPoller.poll();
    expect(good.error).toBeNull();

    const locker = await pool.connect();
    try {
      await locker.query("BEGIN");
      await locker.query(`LOCK TABLE ${table.qualified} IN ACCESS EXCLUSIVE MODE`);
      const stale = await statsPoller.poll();
      expect(stale.error).toMatch(/statement timeout/);
      expect(stale.counts).toEqual(good.counts);
      expect(stale.polledAt).toBe(good.polledAt);
      expect(statsPoller.latest).toBe(stale);
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
    const recovered = await statsPoller.poll();
    expect(recovered.error).toBeNull();
    expect(recovered.counts).toEqual(good.counts);
  });

  it("reports unknown numbers, not zeros, when PostgreSQL was never reachable", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const unreachable = createPool({ connectionString: "postgres://postgres@127.0.0.1:1/activity", connectionTimeoutMs: 2_000 }, quietLogger);
    try {
      const stats = await new OutboxStatsPoller({
        pool: unreachable,
        table: { schema: "activity", table: "event_outbox", qualified: "activity.event_outbox" },
        replicationSlot: "outbox_lens_test",
        logger: quietLogger,
      }).poll();
      expect(stats.error).toMatch(/ECONNREFUSED/);
      expect(stats.counts).toEqual([]);
      expect(stats.insertRate).toBeNull();
      expect(stats.oldestPendingAgeMs).toBeNull();
      expect(stats.slot).toBeNull();
    } finally {
      await unreachable.end();
    }
  });

  it("shares one poll between overlapping callers", async () => {
    const table = await createOutboxTable();
    const statsPoller = poller(table);
    const [a, b] = await Promise.all([statsPoller.poll(), statsPoller.poll()]);
    expect(a).toBe(b);
    const c = await statsPoller.poll();
    expect(c).not.toBe(a);
  });
});
