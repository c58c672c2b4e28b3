// The live metrics end to end against the real test stack: the numbers the collector publishes are
// checked against ground truth from PostgreSQL, and outages of Kafka and Kafka Connect show as STOP
// with their reason, then recover by themselves.
import http from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricsSnapshot } from "@/lib/contracts/metrics";
import { Auth } from "@/server/auth/auth";
import { readAuthConfig } from "@/server/auth/config";
import { createRuntime, type RuntimeHandle } from "@/server/create-runtime";
import { loadConfig } from "@/server/env";
import { createLogger } from "@/server/log";
import { stackConfig, stackEnv } from "@/stack/config";
import { readState } from "@/stack/lifecycle";
import { waitUntil } from "@/stack/lib/proc";
import { generateOperation, type OutboxEvent } from "@/stack/workload/events";
import { insertEvents } from "@/stack/workload/run";
import { LatencyRecorder } from "./latency";
import { PipelineLatencySink } from "./latency-sink";
import { DEFAULT_OUTBOX_COLUMNS } from "@/lib/debezium";

const stack = stackConfig({ profile: "test" });
const env = stackEnv(stack);
const config = loadConfig({ ...env, HEALTH_CHECK_TIMEOUT_MS: "1000" });
const EVENTS = 2_000;
// Generous bounds for a loaded 2-core machine; the conditions usually hold within seconds.
const SETTLE_MS = 60_000;

let handle: RuntimeHandle;
let pool: pg.Pool;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
  handle = createRuntime(config, http.createServer(), createLogger("collector-test"), new Auth(readAuthConfig({})));
  await handle.start();
});

afterAll(async () => {
  await handle.close();
  await pool.end();
  process.off("unhandledRejection", onUnhandled);
});

function latest(): MetricsSnapshot | null {
  return handle.runtime.metrics.latest();
}

async function pendingRows(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${env.OUTBOX_TABLE} WHERE status = 'pending'`);
  return Number(rows[0]!.n);
}

/** Nearest-rank percentile of sorted values. */
function exactPercentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

describe("live metrics against the real pipeline", () => {
  it("publishes outbox counts equal to SELECT status, count(*) and end-to-end percentiles within 1% of the exact ones", async () => {
    await waitUntil(async () => (await pendingRows()) === 0, { timeoutMs: SETTLE_MS, what: "an idle outbox" });
    // A recorder of this test's own, fed by the same tail, sees only the events inserted below.
    const recorder = new LatencyRecorder();
    const sink = new PipelineLatencySink(recorder, { pendingStatus: "pending", processedStatus: "processed", failedStatus: "failed", columns: DEFAULT_OUTBOX_COLUMNS });
    const detach = handle.runtime.tail.onRecord((record, meta) => sink.accept(record, meta.receivedAt));
    const events: OutboxEvent[] = [];
    while (events.length < EVENTS) events.push(...generateOperation());
    const batch = events.slice(0, EVENTS);
    try {
      for (let i = 0; i < batch.length; i += 100) await insertEvents(pool, env.OUTBOX_TABLE!, batch.slice(i, i + 100));
      await waitUntil(async () => (await pendingRows()) === 0, { timeoutMs: SETTLE_MS, what: "the batch to be processed" });
      await waitUntil(() => recorder.snapshot(Date.now()).hops.endToEnd["15m"].count >= EVENTS, {
        timeoutMs: SETTLE_MS,
        what: "every write-back to reach the tail",
      });
    } finally {
      detach();
    }

    // Counts: the table is small, so every count is exact and must equal the database's.
    const { rows: truth } = await pool.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${env.OUTBOX_TABLE} GROUP BY status`);
    await waitUntil(
      () => {
        const counts = latest()?.outbox.counts ?? [];
        return truth.every((t) => counts.some((c) => c.status === t.status && c.count === Number(t.n) && c.exact));
      },
      { timeoutMs: 10_000, what: `published counts to equal ${JSON.stringify(truth)}` },
    );

    // Percentiles of end to end against the exact ones over the same events.
    const { rows } = await pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM processed_at - created_at) * 1000 AS ms FROM ${env.OUTBOX_TABLE} WHERE event_id = ANY($1::uuid[])`,
      [batch.map((e) => e.eventId)],
    );
    expect(rows).toHaveLength(EVENTS);
    const exact = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
    const measured = recorder.snapshot(Date.now()).hops.endToEnd["15m"];
    expect(measured.count).toBe(EVENTS);
    for (const [key, p] of [["p50", 0.5], ["p90", 0.9], ["p95", 0.95], ["p99", 0.99], ["max", 1]] as const) {
      // Within 1% of a value ranked within half a percent of the exact rank: the histogram's
      // relative error, plus the rank ambiguity of percentile definitions.
      const low = exactPercentile(exact, Math.max(0, p - 0.005)) * 0.99;
      const high = exactPercentile(exact, Math.min(1, p + 0.005)) * 1.01;
      expect(measured[key], `${key} of end to end`).toBeGreaterThanOrEqual(low);
      expect(measured[key], `${key} of end to end`).toBeLessThanOrEqual(high);
    }
  });

  it("shows every stage OK on a healthy pipeline, then Kafka Connect's outage as capture STOP with the reason, and recovers", async () => {
    await waitUntil(() => latest() !== null && Object.values(latest()!.stages).every((s) => s.status === "OK"), {
      timeoutMs: SETTLE_MS,
      what: "every stage OK",
    });
    const connectPid = readState(stack)!.services.connect!;
    process.kill(connectPid, "SIGSTOP");
    try {
      const stopped = await waitUntil(
        () => (latest()?.stages.capture.status === "STOP" ? latest()!.stages.capture : null),
        { timeoutMs: SETTLE_MS, what: "capture STOP" },
      );
      expect(stopped.rule).toMatch(/Connect/);
      expect(latest()!.connect.error).toMatch(/unreachable/);
    } finally {
      process.kill(connectPid, "SIGCONT");
    }
    await waitUntil(() => latest()?.stages.capture.status === "OK", { timeoutMs: SETTLE_MS, what: "capture OK again" });
  });

  it("shows a hung broker as topic STOP with the reason, keeps the last numbers, and resumes", async () => {
    const kafkaPid = readState(stack)!.services["kafka-1"]!;
    const before = latest()!;
    process.kill(kafkaPid, "SIGSTOP");
    try {
      const stopped = await waitUntil(() => (latest()?.stages.topic.status === "STOP" ? latest() : null), { timeoutMs: SETTLE_MS, what: "topic STOP" });
      expect(stopped.stages.topic.rule).toMatch(/Kafka unreachable/);
      // The partitions and their offsets are the last known ones, not zeros.
      expect(stopped.topic.partitions.map((p) => p.endOffset)).toEqual(before.topic.partitions.map((p) => p.endOffset));
    } finally {
      process.kill(kafkaPid, "SIGCONT");
    }
    await waitUntil(() => latest()?.stages.topic.status === "OK" && latest()?.topic.error === null, { timeoutMs: SETTLE_MS, what: "topic OK again" });
    // The tail resumes too: a new row reaches it.
    const [event] = generateOperation();
    await insertEvents(pool, env.OUTBOX_TABLE!, [event!]);
    await waitUntil(
      () => handle.runtime.tail.latestRecords(env.OUTBOX_TOPIC!, 50).some((r) => r.kind === "change" && r.outbox.eventId === event!.eventId),
      { timeoutMs: SETTLE_MS, what: "the tail to read a record inserted after the outage" },
    );
  });

  it("let no promise rejection go unhandled", () => {
    expect(unhandled).toEqual([]);
  });
});
