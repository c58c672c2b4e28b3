// npm run bench:pipeline -- [--rate 2000] [--duration 60]
// Measures the real local pipeline on this machine, on a fresh stack of its own (profile "bench"):
//  1. start-up: `stack:up` from nothing (jars cached) until a first inserted row is visible on the topic;
//  2. throughput: after a warm-up at the same rate (--warmup seconds, default 20: the JVMs' JIT
//     compilers need it, and a cold Connect worker falls behind for its first ~20 s), the workload
//     inserts at --rate for --duration seconds while the pipeline runs
//     (Debezium → Kafka → event processor → write-back); reports the insert and handled rates, the
//     largest backlog, the drain time and end-to-end latency percentiles computed exactly in SQL;
//  3. the resident memory of each JVM afterwards (heaps are capped at 512 MB, the processor's at 256).
// Results are printed and written to bench/results/pipeline-<time>.json.
import fs from "node:fs";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { findRecord } from "@/server/kafka/topic-reader";
import { createLogger } from "@/server/log";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, readState, up } from "@/stack/lifecycle";
import { waitUntil } from "@/stack/lib/proc";
import { generateOperation } from "@/stack/workload/events";
import { insertEvents, runWorkload } from "@/stack/workload/run";

// The seed system's report reached about 250 messages/s with a simulated CDC; printed for reference.
const SEED_REPORT_RATE = 250;
const TARGET_RATE = 2_000;
const TARGET_READY_S = 60;
// After the workload stops, the backlog must drain within this bound or the run counts as not sustained.
const DRAIN_TIMEOUT_MS = 120_000;

function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: "string", default: String(TARGET_RATE) },
      duration: { type: "string", default: "60" },
      warmup: { type: "string", default: "20" },
    },
  });
  const rate = Number(values.rate);
  const durationS = Number(values.duration);
  const warmupS = Number(values.warmup);
  const config = stackConfig({ profile: "bench" });
  const env = stackEnv(config);
  const logger = createLogger("bench");

  // Interrupted or not, the bench stack goes away: it is a fresh one of our own.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping the bench stack`);
      void down(config, () => undefined).finally(() => process.exit(130));
    });
  }
  console.log("bench:pipeline: fresh bench stack");
  await down(config, () => undefined);
  const t0 = Date.now();
  const result = await up(config, (line) => console.log(line));
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 4 });
  try {
    const [probe] = generateOperation();
    await insertEvents(pool, env.OUTBOX_TABLE!, [probe!]);
    await findRecord(
      { brokers: env.KAFKA_BROKERS!.split(","), topic: env.OUTBOX_TOPIC!, timeoutMs: 60_000, maxRecords: 10, logger },
      (r) => r.value?.toString("utf8").includes(probe!.eventId) ?? false,
    );
    const firstVisibleS = (Date.now() - t0) / 1000;
    // The processor joins its group right after the stack is ready: wait until it handled the probe.
    await waitUntil(
      async () => (await pool.query(`SELECT 1 FROM ${env.OUTBOX_TABLE} WHERE event_id = $1 AND status <> 'pending'`, [probe!.eventId])).rowCount,
      { timeoutMs: 60_000, what: "the processor to handle the probe event" },
    );

    const pendingCount = async () => {
      const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${env.OUTBOX_TABLE} WHERE status = 'pending'`);
      return Number(rows[0]!.n);
    };
    const awaitDrained = (what: string) =>
      waitUntil(async () => (await pendingCount()) === 0, { timeoutMs: DRAIN_TIMEOUT_MS, intervalMs: 100, what });
    if (warmupS > 0) {
      console.log(`\nwarm-up: ${rate} events/s for ${warmupS} s (not measured)`);
      await runWorkload({ databaseUrl: env.DATABASE_URL!, table: env.OUTBOX_TABLE!, rate, durationMs: warmupS * 1000, concurrency: 4 });
      await awaitDrained("the warm-up backlog to drain");
    }
    console.log(`throughput: ${rate} events/s for ${durationS} s`);
    let maxPending = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxPending = Math.max(maxPending, await pendingCount());
        await delay(1_000);
      }
    })();
    const windowStart = new Date();
    const workload = await runWorkload({ databaseUrl: env.DATABASE_URL!, table: env.OUTBOX_TABLE!, rate, durationMs: durationS * 1000, concurrency: 4 });
    const windowEnd = new Date();
    const drainStart = Date.now();
    await awaitDrained("the backlog to drain");
    const drainS = (Date.now() - drainStart) / 1000;
    sampling = false;
    await sampler;

    const { rows } = await pool.query<Record<string, string>>(
      `SELECT count(*) AS inserted,
              count(*) FILTER (WHERE updated_at <= $2) AS handled_in_window,
              count(*) FILTER (WHERE status = 'failed') AS failed,
              percentile_disc(0.5) WITHIN GROUP (ORDER BY e2e) AS p50,
              percentile_disc(0.95) WITHIN GROUP (ORDER BY e2e) AS p95,
              percentile_disc(0.99) WITHIN GROUP (ORDER BY e2e) AS p99,
              max(e2e) AS max
         FROM (SELECT status, updated_at,
                      extract(epoch FROM coalesce(processed_at, updated_at) - created_at) * 1000 AS e2e
                 FROM ${env.OUTBOX_TABLE} WHERE created_at >= $1 AND created_at < $2) t`,
      [windowStart, windowEnd],
    );
    const r = rows[0]!;
    const handledRate = Number(r.handled_in_window) / durationS;
    const state = readState(config);
    const memory = Object.fromEntries(Object.entries(state?.services ?? {}).map(([name, pid]) => [name, rssMb(pid)]));
    const report = {
      at: new Date().toISOString(),
      startup: { readyS: result.readyMs / 1000, firstRowVisibleS: firstVisibleS, targetS: TARGET_READY_S },
      throughput: {
        requestedRate: rate,
        durationS,
        inserted: Number(r.inserted),
        insertRate: workload.inserted / (workload.elapsedMs / 1000),
        handledInWindowRate: handledRate,
        failed: Number(r.failed),
        maxPending,
        drainS,
        e2eLatencyMs: { p50: Number(r.p50), p95: Number(r.p95), p99: Number(r.p99), max: Number(r.max) },
        vsSeedReport: handledRate / SEED_REPORT_RATE,
        vsTarget: handledRate / TARGET_RATE,
      },
      jvmRssMb: memory,
    };
    console.log(`
start-up    ready ${report.startup.readyS.toFixed(1)} s; first inserted row on the topic ${firstVisibleS.toFixed(1)} s after stack:up began (target ≤ ${TARGET_READY_S} s)
insert      ${report.throughput.inserted} rows at ${report.throughput.insertRate.toFixed(0)}/s (requested ${rate}/s; ${workload.skipped} skipped, ${workload.errors} failed transactions)
handled     ${handledRate.toFixed(0)} events/s within the window (${(report.throughput.vsTarget * 100).toFixed(0)}% of the ${TARGET_RATE}/s target, ${report.throughput.vsSeedReport.toFixed(1)}× the seed report's ${SEED_REPORT_RATE}/s)
backlog     at most ${maxPending} pending rows; drained ${drainS.toFixed(1)} s after the workload stopped
latency     insert → processed  p50 ${report.throughput.e2eLatencyMs.p50.toFixed(0)} ms  p95 ${report.throughput.e2eLatencyMs.p95.toFixed(0)} ms  p99 ${report.throughput.e2eLatencyMs.p99.toFixed(0)} ms  max ${report.throughput.e2eLatencyMs.max.toFixed(0)} ms
memory      ${Object.entries(memory).map(([name, mb]) => `${name} ${mb ?? "?"} MB`).join(", ")} (RSS)`);
    const outDir = path.join(config.root, "bench", "results");
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, `pipeline-${report.at.replace(/[:.]/g, "-")}.json`), JSON.stringify(report, null, 2));
  } finally {
    await pool.end();
    await down(config, () => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:pipeline: ${(error as Error).message}`);
  process.exit(1);
});
