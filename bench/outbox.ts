// npm run bench:outbox -- [--rows 10000000] [--failed 100000] [--replay 10000] [--reseed] [--keep-stack]
// The outbox operations on a big seeded table (its own schema in the bench stack's PostgreSQL,
// kept between runs unless --reseed; seeding 10 M rows takes a few minutes):
//  1. the first page of failed rows and each failure group's count: p50/p95 over repeated runs,
//     and the plan of each query (index use, no sequential scan);
//  2. the event trace of a row (database and the bounded Kafka search);
//  3. a bulk retry of all failed rows through OutboxActions against the same UPDATE run directly
//     in psql, side by side, while a simulated processor keeps committing small write-backs on
//     other rows; its write latency p99 idle, during psql's UPDATE and during ours;
//  4. a replay of --replay rows into a topic in use against `kcat -P` producing the same records
//     into another (acks=all), in REPLAY_ROUNDS rounds after REPLAY_WARMUP_ROUNDS that fill both
//     topics and warm the process up (the median of the rounds' ratios is the figure); then the
//     same records, read back from the replay's topic, sent by the replay's producer alone against
//     kcat -P again: what producing costs apart from reading the rows and building their records;
// Targets: page and group count ≤ 50 ms p95; trace ≤ 300 ms; retry ≥ 0.8× psql's rows/s with the
// processor's p99 up < 20%; replay ≥ 0.5× kcat's records/s.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Principal } from "@/lib/contracts/auth";
import type { FailureGroupsResponse } from "@/lib/contracts/outbox";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient } from "@/server/kafka/client";
import { PartitionFetcher } from "@/server/kafka/partition-fetcher";
import { ReplayProducer } from "@/server/kafka/replay-producer";
import { createTopic, deleteTopic } from "@/server/kafka/topic-admin";
import { createLogger } from "@/server/log";
import { ACTION_POOL_CONNECTIONS, OutboxActions, REPLAY_BATCH_ROWS } from "@/server/outbox/actions";
import { AuditLog } from "@/server/outbox/audit";
import { createPool } from "@/server/outbox/db";
import { computeFailureGroups, countFailureGroup, countFailureGroupQuery, failureGroupIndexName, failureGroupIndexSql, failureGroupingQuery } from "@/server/outbox/failure-groups";
import { migrateOwnSchema } from "@/server/outbox/migrations";
import { listOutboxRows } from "@/server/outbox/rows";
import { outboxTable, type OutboxTable } from "@/server/outbox/table";
import { traceEvent } from "@/server/outbox/trace";
import type { Runtime } from "@/server/runtime";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, inspect, up } from "@/stack/lifecycle";
import { CommandRunner } from "./lib/command-runner";

const SCHEMA = "bench_outbox";
const SEED_SQL = readFileSync(new URL("../stack/sql/outbox.sql", import.meta.url), "utf8").replace(/\bactivity\b/g, SCHEMA);
/** Rows inserted per statement while seeding: one transaction of a few seconds. */
const SEED_CHUNK = 1_000_000;
/**
 * Measured rounds of the replay against kcat: this machine's rates move by 2× from one run to the
 * next, so the median of the rounds' ratios is reported.
 */
const REPLAY_ROUNDS = 5;
/** Rounds of the bulk retry against psql (each ~1 min: both updates and a restore after each); the median of their ratios is the figure. */
const RETRY_ROUNDS = 3;
/**
 * Rounds before them, whose replay times are printed but not measured. The first fills both
 * topics; the first few replays of a process also fault in the memory it then reuses: the
 * server's CPU for the replays of a fresh process was 430, 183, 110, 128, then 60–75 ms each
 * (~6,700 minor page faults a replay at first, ~600 after), so the first rounds measured the
 * process's start more than the replay.
 */
const REPLAY_WARMUP_ROUNDS = 3;
/** Repetitions of each timed query. */
const QUERY_RUNS = 40;
/** Causes of the seeded failures: five groups. */
const ERRORS = [
  "Timeout after 3000 ms calling billing-service POST /v1/charges",
  "HTTP 503 Service Unavailable from search-indexer (request id 9b2f0c1e-1111-4a4a-9c9c-0123456789ab)",
  'duplicate key value violates unique constraint "participants_pkey" (activity_id=42)',
  "Validation failed: payload.email 'user17@example' is not a valid address",
  "Connection refused: notification-service:8123",
];
const principal: Principal = { kind: "user", name: "bench", role: "admin" };
/** The simulated processor: rows per write-back transaction, and write-backs measured per phase at least. */
const WRITEBACK_ROWS = 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function summary(samples: number[]): { p50: number; p95: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, n: sorted.length };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function timed<T>(operation: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await operation();
  return { value, ms: performance.now() - started };
}

async function seed(pool: pg.Pool, rows: number, failed: number, replayRows: number): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await pool.query(SEED_SQL);
  // Secondary indexes are built once after loading: faster than maintaining them row by row.
  await pool.query(`DROP INDEX ${SCHEMA}.event_outbox_created_idx, ${SCHEMA}.event_outbox_aggregate_idx, ${SCHEMA}.event_outbox_type_idx, ${SCHEMA}.event_outbox_pending_idx, ${SCHEMA}.event_outbox_failed_idx`);
  // Every (rows/failed)-th row failed, spread over the table's history; replay rows pending at the end.
  const every = Math.floor(rows / failed);
  const started = performance.now();
  for (let from = 1; from <= rows; from += SEED_CHUNK) {
    const to = Math.min(rows, from + SEED_CHUNK - 1);
    await pool.query(
      `INSERT INTO ${SCHEMA}.event_outbox (aggregate_id, aggregate_type, event_type, payload, status, retry_count, created_at, updated_at, processed_at, last_error)
       SELECT 'agg-' || (i % 50000), CASE WHEN i > $2::bigint - $5::bigint THEN 'BenchReplay' ELSE 'Order' END, (ARRAY['OrderPlaced','OrderPaid','UserRegistered','ActivityJoined'])[1 + i % 4],
              jsonb_build_object('orderId', i, 'total', i % 1000, 'currency', 'EUR', 'lines', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (i % 977), 'qty', 1 + i % 3))),
              CASE WHEN i > $2::bigint - $5::bigint THEN 'pending' WHEN i % $3::bigint = 0 THEN 'failed' ELSE 'processed' END,
              CASE WHEN i % $3::bigint = 0 THEN i % 4 ELSE 0 END,
              now() - make_interval(secs => ($2::bigint - i) / 100.0), now() - make_interval(secs => ($2::bigint - i) / 100.0),
              CASE WHEN i % $3::bigint <> 0 AND i <= $2::bigint - $5::bigint THEN now() - make_interval(secs => ($2::bigint - i) / 100.0) END,
              CASE WHEN i % $3::bigint = 0 THEN ($4::text[])[1 + (i / $3::bigint) % 5] END
       FROM generate_series($1::bigint, $6::bigint) AS i`,
      [from, rows, every, ERRORS, replayRows, to],
    );
    process.stdout.write(`  seeded ${to.toLocaleString("en")} rows (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  await pool.query(SEED_SQL);
  await pool.query(`VACUUM ANALYZE ${SCHEMA}.event_outbox`);
  // The seeding leaves gigabytes of dirty pages; while the kernel writes them back it throttles
  // every writer, the broker's appends included. The measurements start once they are on disk.
  // (Phase 4 right after a seeding without this: kcat -P at ~100k records/s; with it: ~185k;
  // runs on a settled stack the same day: 150k–330k.)
  await pool.query("CHECKPOINT");
  spawnSync("sync");
  console.log(`  indexes and statistics ready (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
}

/** A table whose queries are also recorded, so their plans can be shown. */
function recordingTable(pool: pg.Pool): { table: OutboxTable; last: () => { text: string; values: unknown[] } } {
  let last = { text: "", values: [] as unknown[] };
  const recording = new Proxy(pool, {
    get(target, property, receiver) {
      if (property === "query") {
        return (query: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
          last = typeof query === "string" ? { text: query, values: values ?? [] } : { text: query.text, values: query.values ?? [] };
          return target.query(query as string, values);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { table: outboxTable(recording, { schema: SCHEMA, table: "event_outbox", qualified: `${SCHEMA}.event_outbox` }), last: () => last };
}

async function planOf(pool: pg.Pool, query: { text: string; values: unknown[] }): Promise<{ nodes: string[]; seqScan: boolean }> {
  const result = await pool.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node["Index Name"] ? `${node["Node Type"]} ${node["Index Name"]}` : node["Node Type"]);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(result.rows[0]!["QUERY PLAN"][0]!.Plan);
  return { nodes, seqScan: nodes.some((node) => node.startsWith("Seq Scan")) };
}
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/**
 * A processor's write-backs: small UPDATEs of WRITEBACK_ROWS random processed rows (processed_at
 * and updated_at set again), one transaction each, timed, until stopped. Failed rows are never
 * touched, so the retries' counts stay exact.
 */
function simulateProcessor(pool: pg.Pool, maxSequence: number): { stop: () => Promise<number[]>; mark: () => number } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const ids = Array.from({ length: WRITEBACK_ROWS }, () => 1 + Math.floor(Math.random() * maxSequence));
      const started = performance.now();
      await pool.query(
        `UPDATE ${SCHEMA}.event_outbox SET processed_at = clock_timestamp(), updated_at = clock_timestamp()
         WHERE sequence_id = ANY($1::bigint[]) AND status = 'processed'`,
        [ids],
      );
      latencies.push(performance.now() - started);
    }
  })().catch((error: unknown) => {
    console.error(`the simulated processor stopped: ${String(error)}`);
  });
  return {
    mark: () => latencies.length,
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

/**
 * The seeded failures as seeding left them: every (rows/failed)-th row failed with its error, the
 * retry counts as seeded. Run at the start (a previous run may have stopped midway) and after each
 * retry. It ends with a checkpoint, so every retry starts from one: the first change of a page after
 * a checkpoint writes the whole page to the WAL (~6 pages per row here: the heap's and the indexes'),
 * most of a bulk update's cost; without it a run's rate depended on where the last checkpoint fell
 * (psql 5,400 rows/s in one round, 8,000 in the next).
 */
async function restoreFailures(pool: pg.Pool, rows: number, failed: number, replayRows: number): Promise<void> {
  const every = Math.floor(rows / failed);
  await pool.query(
    `UPDATE ${SCHEMA}.event_outbox SET status = 'failed', retry_count = sequence_id % 4, last_error = ($2::text[])[1 + (sequence_id / $1::bigint) % 5], updated_at = clock_timestamp()
     WHERE sequence_id IN (SELECT s FROM generate_series($1::bigint, $3::bigint, $1::bigint) AS s)`,
    [every, ERRORS, rows - replayRows],
  );
  await pool.query(`VACUUM ANALYZE ${SCHEMA}.event_outbox`);
  await pool.query("CHECKPOINT");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "10000000" },
      failed: { type: "string", default: "100000" },
      replay: { type: "string", default: "10000" },
      reseed: { type: "boolean", default: false },
      "keep-stack": { type: "boolean", default: false },
      phases: { type: "string", default: "1,2,3,4,5" },
    },
  });
  const phases = new Set(values.phases.split(",").map(Number));
  const rows = Number(values.rows);
  const failed = Number(values.failed);
  const replayRows = Number(values.replay);

  const config = stackConfig({ profile: "bench" }, { ...process.env, STACK_PROCESSOR: "off" });
  const startedHere = !(await inspect(config)).healthy;
  if (startedHere) await up(config, () => undefined);
  const env = stackEnv(config);
  const logger = createLogger("bench");
  const quiet = { ...logger, info: () => undefined, warn: () => undefined };
  const pool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 10_000, statementTimeoutMs: 600_000, maxConnections: 6 }, logger);
  // The actions' connections, as many as the server gives them.
  const actionPool = createPool({ connectionString: env.DATABASE_URL!, connectionTimeoutMs: 10_000, statementTimeoutMs: 600_000, maxConnections: ACTION_POOL_CONNECTIONS }, logger);
  const brokers = env.KAFKA_BROKERS!.split(",");
  const client = createKafkaClient({ clientId: "outbox-lens-bench", brokers, logger: quiet });
  const admin = new KafkaAdminConnection(client);
  // Phase 4 replays into one topic (the outbox topic phase 5 searches) and kcat produces into another.
  const replayTopic = `bench.replay.${randomUUID().slice(0, 8)}`;
  const kcatTopic = `${replayTopic}.kcat`;
  // The producer's own rounds go to a third topic: phase 5 searches the replay topic's partitions.
  const producerTopic = `${replayTopic}.producer`;
  const file = join(tmpdir(), `outbox-lens-replay-${process.pid}.txt`);
  const benchTopics = [replayTopic, kcatTopic, producerTopic];
  // Disconnected at the end: a KafkaJS connection left open keeps the process alive.
  const replayProducer = new ReplayProducer(client, admin, quiet);
  const fetcher = new PartitionFetcher(client, quiet);

  try {
    await migrateOwnSchema(pool);
    const exists = (await pool.query<{ found: boolean }>(`SELECT to_regclass('${SCHEMA}.event_outbox') IS NOT NULL AS found`)).rows[0]?.found;
    const existing = exists ? Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${SCHEMA}.event_outbox`)).rows[0]?.n) : 0;
    if (values.reseed || existing !== rows) {
      console.log(`seeding ${rows.toLocaleString("en")} rows, ${failed.toLocaleString("en")} failed, ${replayRows.toLocaleString("en")} pending for the replay …`);
      await seed(pool, rows, failed, replayRows);
    } else {
      console.log(`reusing ${SCHEMA}.event_outbox (${rows.toLocaleString("en")} rows); --reseed to start afresh`);
    }
    if (phases.has(1) || phases.has(3)) await restoreFailures(pool, rows, failed, replayRows);
    const { table, last } = recordingTable(pool);
    const failedNow = Number((await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${SCHEMA}.event_outbox WHERE status = 'failed'`)).rows[0]?.n);

    const audit = new AuditLog(pool);
    const actions = new OutboxActions({
      table: outboxTable(actionPool, table.name),
      actionPool,
      audit,
      replay: replayProducer,
      outboxTopic: replayTopic,
      replayTopics: benchTopics,
      logger: quiet,
    });
    for (const topic of benchTopics) await createTopic(admin, topic, 6);
    const runtimeView = {
      config: { kafka: { outboxTopic: replayTopic, brokers } },
      outbox: table,
      kafkaAdmin: admin,
      tail: { recentRecords: () => [] },
      metrics: { latest: () => null },
      audit,
      messages: { reader: { fetcher } },
    } as unknown as Runtime;

    // 1. First page of failed rows; failure groups.
    if (phases.has(1)) {
    console.log(`\n1. reads on ${rows.toLocaleString("en")} rows with ${failedNow.toLocaleString("en")} failed (${QUERY_RUNS} runs each)`);
    const page: number[] = [];
    for (let i = 0; i < QUERY_RUNS; i++) page.push((await timed(() => listOutboxRows(table, { status: "failed", order: "newest", limit: 50 }))).ms);
    const pagePlan = await planOf(pool, last());
    console.log(`  first page of failed rows: ${fmt(summary(page))}; plan: ${pagePlan.nodes.join(" → ")}${pagePlan.seqScan ? "  SEQUENTIAL SCAN" : ""}`);
    const allPage: number[] = [];
    for (let i = 0; i < QUERY_RUNS; i++) allPage.push((await timed(() => listOutboxRows(table, { order: "newest", limit: 50 }))).ms);
    const allPlan = await planOf(pool, last());
    console.log(`  first page of all rows:    ${fmt(summary(allPage))}; plan: ${allPlan.nodes.join(" → ")}${allPlan.seqScan ? "  SEQUENTIAL SCAN" : ""}`);

    const groupings = async (label: string) => {
      const runs: number[] = [];
      let value = await computeFailureGroups(table);
      for (let i = 0; i < QUERY_RUNS / 4; i++) {
        const result = await timed(() => computeFailureGroups(table));
        runs.push(result.ms);
        value = result.value;
      }
      const plan = await planOf(pool, failureGroupingQuery(table));
      console.log(`  ${label} grouping all failures: ${fmt(summary(runs))}, ${value.groups.length} groups, index ${value.index ? value.index.name : "none"}, advice ${value.indexAdvice ? "shown" : "none"}; plan: ${plan.nodes.join(" → ")}${plan.seqScan ? "  SEQUENTIAL SCAN" : ""}`);
      return value;
    };
    const countGroups = async (label: string, groups: FailureGroupsResponse) => {
      const all: number[] = [];
      for (const group of groups.groups) {
        const counts: number[] = [];
        let count = 0;
        for (let i = 0; i < QUERY_RUNS / 4; i++) {
          const result = await timed(() => countFailureGroup(table, group));
          counts.push(result.ms);
          count = result.value;
        }
        all.push(...counts);
        const plan = await planOf(pool, countFailureGroupQuery(table, group));
        console.log(`  ${label} count of "${group.signature.slice(0, 30)}…" = ${count} (grouped: ${group.count}): ${fmt(summary(counts))}; ${plan.nodes.join(" → ")}${plan.seqScan ? "  SEQUENTIAL SCAN" : ""}`);
      }
      console.log(`  ${label} every group count: ${fmt(summary(all))}`);
    };
    await pool.query(`DROP INDEX IF EXISTS ${SCHEMA}.${failureGroupIndexName(table)}`);
    const grouping = await groupings("without the failure-group index:");
    await countGroups("without the failure-group index:", grouping);
    const indexed = await timed(() => pool.query(failureGroupIndexSql(table)));
    await pool.query(`ANALYZE ${SCHEMA}.event_outbox`);
    console.log(`  the failure-group index (README; the page recommends it) built in ${ms(indexed.ms)}`);
    const regrouping = await groupings("with the index:");
    await countGroups("with the index:", regrouping);

    }

    // 2. Event trace of a failed row (database + bounded search of its partition on the bench topic).
    if (phases.has(2)) {
    const traced = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${SCHEMA}.event_outbox WHERE status = 'failed' LIMIT 1`)).rows[0]!.id;
    const traces: number[] = [];
    for (let i = 0; i < QUERY_RUNS / 4; i++) traces.push((await timed(() => traceEvent(runtimeView, traced, []))).ms);
    console.log(`\n2. event trace (row, partition search, audit): ${fmt(summary(traces))}`);

    }

    // 3. Bulk retry against psql's UPDATE, processor writing meanwhile.
    if (phases.has(3)) {
    console.log(`\n3. bulk retry of ${failedNow.toLocaleString("en")} failed rows, a simulated processor committing ${WRITEBACK_ROWS}-row write-backs throughout`);
    const ids = (await pool.query<{ id: string }>(`SELECT event_id::text AS id FROM ${SCHEMA}.event_outbox WHERE status = 'failed'`)).rows.map((row) => row.id);
    // psql runs from a helper started before the processor (command-runner.ts): spawned from this
    // process, it would fork the simulated processor too, whose writes then fault page by page.
    const commands = new CommandRunner();
    const processor = simulateProcessor(pool, rows - replayRows);
    const phases: Record<string, [number, number]> = {};
    const idleStart = processor.mark();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    phases.idle = [idleStart, processor.mark()];
    const psqlRates: number[] = [];
    const ourRates: number[] = [];
    for (let round = 1; round <= RETRY_ROUNDS; round++) {
      const psqlStart = processor.mark();
      const sql = `UPDATE ${SCHEMA}.event_outbox SET status = 'pending', retry_count = retry_count + 1, last_error = NULL, updated_at = now() WHERE status = 'failed'`;
      // Asynchronously: the simulated processor runs in this process and must keep writing.
      const psql = await commands.run("psql", [env.DATABASE_URL!, "-v", "ON_ERROR_STOP=1", "-qc", sql]);
      phases[`psql ${round}`] = [psqlStart, processor.mark()];
      psqlRates.push((ids.length * 1000) / psql.ms);
      await restoreFailures(pool, rows, failed, replayRows);

      const ourStart = processor.mark();
      const ours = await timed(async () => {
        const { progress } = await actions.submit("retry", { filter: {}, dryRun: false, reason: "bench", idempotencyKey: randomUUID(), confirmCount: ids.length }, principal);
        return (await actions.finished(progress.actionId)) ?? progress;
      });
      phases[`ours ${round}`] = [ourStart, processor.mark()];
      if (ours.value.done !== ids.length) throw new Error(`the retry changed ${ours.value.done} rows, expected ${ids.length}`);
      ourRates.push((ids.length * 1000) / ours.ms);
      await restoreFailures(pool, rows, failed, replayRows);
      console.log(`  round ${round}: psql ${Math.round(psqlRates.at(-1)!).toLocaleString("en")} rows/s, Outbox Lens ${Math.round(ourRates.at(-1)!).toLocaleString("en")} rows/s → ${(ourRates.at(-1)! / psqlRates.at(-1)!).toFixed(2)}×`);
    }
    const latencies = await processor.stop();
    commands.stop();
    const ratios = ourRates.map((rate, i) => rate / psqlRates[i]!);
    console.log(`  median of ${RETRY_ROUNDS}: psql ${Math.round(median(psqlRates)).toLocaleString("en")} rows/s, Outbox Lens ${Math.round(median(ourRates)).toLocaleString("en")} rows/s; ratio ${median(ratios).toFixed(2)}× (rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")})`);
    const idleP99 = summary(latencies.slice(...phases.idle!)).p99;
    for (const [phase, [from, to]] of Object.entries(phases)) {
      const s = summary(latencies.slice(from, to));
      console.log(`  processor write-back during ${phase.padEnd(7)}: ${fmt(s)}${phase === "idle" ? "" : ` (p99 ${((s.p99 / idleP99 - 1) * 100).toFixed(0)}% vs idle)`}`);
    }

    }

    // 4. Replay against kcat -P with the same payloads; 5. the trace of a replayed row.
    if (phases.has(4)) {
    const replayAll = () =>
      timed(async () => {
        const { progress } = await actions.submit("replay", { filter: { aggregateType: "BenchReplay" }, dryRun: false, reason: "bench", idempotencyKey: randomUUID(), confirmCount: replayRows, topic: replayTopic }, principal);
        const finished = (await actions.finished(progress.actionId)) ?? progress;
        if (finished.done !== replayRows) throw new Error(`the replay produced ${finished.done} records, expected ${replayRows}: ${finished.error}`);
      });
    // kcat runs from a helper started before the first replay (command-runner.ts): spawned from
    // this process, each kcat forked the replay's process too, and its copy-on-write page faults
    // cost the next replay ~2× its CPU.
    const commands = new CommandRunner();
    const kcatAll = () => commands.run("kcat", ["-P", "-b", brokers.join(","), "-t", kcatTopic, "-K", "\t", "-X", "acks=all", "-X", "enable.idempotence=true", "-l", file]);
    try {
    // A replay goes to a topic in use (the outbox topic, or a replay topic), not to new empty
    // partitions, whose first appends the broker makes slower for both (in trials, KafkaJS's
    // first sends to a new topic took up to 3× as long). So a first, unmeasured round fills both
    // topics: the replay, then kcat -P with the same records (key TAB value per line, read back
    // from the replay's topic), the file it sends in every round.
    const warmups = [await replayAll()];
    // Straight into the file: ~13 MB of text held here would be garbage for the measured replays' GC.
    await commands.run("kcat", ["-C", "-b", brokers.join(","), "-t", replayTopic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"], file);
    const readBack = Number((await commands.run("wc", ["-l", file])).stdout.trim().split(/\s+/)[0]);
    if (readBack !== replayRows) throw new Error(`kcat read ${readBack} records back from ${replayTopic}, expected ${replayRows}`);
    await kcatAll();
    while (warmups.length < REPLAY_WARMUP_ROUNDS) {
      warmups.push(await replayAll());
      await kcatAll();
    }
    console.log(`\n4. replay of ${replayRows.toLocaleString("en")} rows to a topic in use (6 partitions) against kcat -P producing the same records to another, acks=all, ${REPLAY_ROUNDS} rounds after ${REPLAY_WARMUP_ROUNDS} that fill both and warm up (replays of ${warmups.map((warmup) => ms(warmup.ms)).join(", ")}, unmeasured)`);
    const ratios: number[] = [];
    const ourRates: number[] = [];
    const kcatRates: number[] = [];
    for (let round = 1; round <= REPLAY_ROUNDS; round++) {
      const replay = await replayAll();
      const kcat = await kcatAll();
      const ourRate = (replayRows * 1000) / replay.ms;
      const kcatRate = (replayRows * 1000) / kcat.ms;
      ourRates.push(ourRate);
      kcatRates.push(kcatRate);
      ratios.push(ourRate / kcatRate);
      console.log(`  round ${round}: Outbox Lens ${Math.round(ourRate).toLocaleString("en")} records/s (${ms(replay.ms)}), kcat -P ${Math.round(kcatRate).toLocaleString("en")} records/s (${ms(kcat.ms)}) → ${(ourRate / kcatRate).toFixed(2)}×`);
    }
    console.log(`  median of ${REPLAY_ROUNDS}: Outbox Lens ${Math.round(median(ourRates)).toLocaleString("en")} records/s, kcat -P ${Math.round(median(kcatRates)).toLocaleString("en")} records/s; ratio ${median(ratios).toFixed(2)}× (rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(", ")})`);

    // The replay's producer alone, with the records already in memory (after the measured
    // replays: the ~13 MB read here is garbage they need not collect).
    const headers = { "x-replay-id": "0", "x-replayed-by": "token:bench", "x-replay-reason": "bench" };
    const records = readFileSync(file)
      .toString("utf8")
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => {
        const tab = line.indexOf("\t");
        return { key: Buffer.from(line.slice(0, tab)), value: Buffer.from(line.slice(tab + 1)), headers };
      });
    const producerTarget = await replayProducer.checkTopic(producerTopic);
    const produceAll = () =>
      timed(async () => {
        for (let from = 0; from < records.length; from += REPLAY_BATCH_ROWS) await replayProducer.send(producerTarget, records.slice(from, from + REPLAY_BATCH_ROWS));
      });
    for (let round = 0; round < REPLAY_WARMUP_ROUNDS; round++) await produceAll();
    const producerRatios: number[] = [];
    for (let round = 1; round <= REPLAY_ROUNDS; round++) {
      const produced = await produceAll();
      const kcat = await kcatAll();
      producerRatios.push(kcat.ms / produced.ms);
      console.log(`  producer alone, round ${round}: ${Math.round((replayRows * 1000) / produced.ms).toLocaleString("en")} records/s (${ms(produced.ms)}), kcat -P ${Math.round((replayRows * 1000) / kcat.ms).toLocaleString("en")} records/s (${ms(kcat.ms)}) → ${(kcat.ms / produced.ms).toFixed(2)}×`);
    }
    console.log(`  the replay's producer alone (the same records in batches of ${REPLAY_BATCH_ROWS.toLocaleString("en")}, no rows read): median ${median(producerRatios).toFixed(2)}× kcat -P; the rest of a replay's time is reading the rows and building their records`);
    } finally {
      commands.stop();
    }

    // 5. The trace of a replayed row whose last change is now: the search reads its whole partition.
    const replayed = (await pool.query<{ id: string }>(`UPDATE ${SCHEMA}.event_outbox SET updated_at = clock_timestamp() WHERE event_id = (SELECT event_id FROM ${SCHEMA}.event_outbox WHERE aggregate_type = 'BenchReplay' ORDER BY sequence_id DESC LIMIT 1) RETURNING event_id::text AS id`)).rows[0]!.id;
    const searched: number[] = [];
    let found = 0;
    for (let i = 0; i < 10; i++) {
      const result = await timed(() => traceEvent(runtimeView, replayed, []));
      searched.push(result.ms);
      found = result.value.messages.length;
    }
    console.log(`\n5. event trace with a search through its partition (~${Math.round(((REPLAY_ROUNDS + REPLAY_WARMUP_ROUNDS) * replayRows) / 6).toLocaleString("en")} records, ${found} found): ${fmt(summary(searched))}; the first ${ms(searched[0]!)}`);
    }
  } finally {
    for (const topic of benchTopics) await deleteTopic(admin, topic).catch(() => undefined);
    rmSync(file, { force: true });
    await replayProducer.disconnect();
    await fetcher.disconnect();
    await admin.disconnect();
    await Promise.all([pool.end(), actionPool.end()]);
    if (startedHere && !values["keep-stack"]) await down(config, () => undefined);
  }
}

function fmt(s: ReturnType<typeof summary>): string {
  return `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (n=${s.n})`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
