import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { expect, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { PROFILES, stackConfig, type Profile } from "@/stack/config";
import { runWorkload } from "@/stack/workload/run";
import { bearer } from "../e2e/lib/stack-auth";

/**
 * What the fault scenarios share: the settings of the stack under test (the faults stack, or the
 * one whose env file OUTBOX_LENS_ENV_FILE names), a steady workload through the real pipeline, and
 * the ground truth the dashboard's numbers are checked against.
 */

export const env = parseEnv(readFileSync(resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-faults/env"), "utf8"));
/** stack:up names the profile in the env file (STACK_NAME) and lists every broker (KAFKA_BROKERS). */
const profile: Profile = PROFILES.find((name) => name === env.STACK_NAME) ?? "faults";
export const config = stackConfig({ profile, brokers: env.KAFKA_BROKERS?.split(",").length });
/** Events a second the scenarios' workload inserts. */
export const WORKLOAD_RATE = Number(process.env.FAULTS_RATE ?? 1_000);
/** How long a fault is held. */
export const FAULT_MS = 30_000;
/** Every page of the dashboard: each must keep serving while a component is down. */
export const PAGES = ["/", "/messages", "/outbox", "/consumers", "/audit"];

export function pool(): pg.Pool {
  const db = new pg.Pool({ connectionString: env.DATABASE_URL!, max: 2, connectionTimeoutMillis: 5_000 });
  // An idle connection cut by a PostgreSQL restart is dropped by the pool; the next query opens another.
  db.on("error", () => undefined);
  return db;
}

/** Starts inserting at `rate` events a second; the returned function stops and resolves with what was inserted. */
export function startWorkload(rate = WORKLOAD_RATE): () => Promise<number> {
  const controller = new AbortController();
  const done = runWorkload({ databaseUrl: env.DATABASE_URL!, table: env.OUTBOX_TABLE!, rate, concurrency: 4, signal: controller.signal });
  return async () => {
    controller.abort();
    return (await done).inserted;
  };
}

/** SELECT status, count(*): the truth. */
export async function statusCounts(db: pg.Pool): Promise<Record<string, number>> {
  const result = await db.query<{ status: string; count: number }>(`SELECT status, count(*)::int AS count FROM ${env.OUTBOX_TABLE} GROUP BY status`);
  return Object.fromEntries(result.rows.map((row) => [row.status, row.count]));
}

/** The dashboard's outbox counts, exact ones only, from /metrics (what Prometheus scrapes). */
export async function dashboardCounts(request: APIRequestContext): Promise<Record<string, number>> {
  const text = await (await request.get("/metrics", { headers: bearer("viewer") })).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^outbox_lens_outbox_rows\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]));
    if (labels.exact === "true") counts[labels.status!] = Number(match[2]);
  }
  return counts;
}

/** Waits until nothing is pending (the pipeline drained what the workload inserted). */
export async function drained(db: pg.Pool, timeoutMs = 120_000): Promise<void> {
  await expect
    .poll(async () => (await statusCounts(db)).pending ?? 0, { timeout: timeoutMs, intervals: [500] })
    .toBe(0);
}

/** After the pipeline drained: every exact count on the dashboard equals the table's, once its next snapshot is in. */
export async function expectCountsMatch(request: APIRequestContext, db: pg.Pool): Promise<void> {
  const truth = await statusCounts(db);
  await expect
    .poll(async () => {
      const shown = await dashboardCounts(request);
      return Object.entries(shown).every(([status, count]) => (truth[status] ?? 0) === count) && Object.keys(shown).length > 0;
    }, { timeout: 15_000 })
    .toBe(true);
}

/** Every page answers 200 with its HTML (of the suite's server, or of the one at `baseUrl`). */
export async function expectPagesServe(request: APIRequestContext, baseUrl = ""): Promise<void> {
  for (const path of PAGES) {
    const response = await request.get(`${baseUrl}${path}`, { timeout: 10_000 });
    expect(response.status(), path).toBe(200);
  }
}

/** The server log's lines that report an unhandled rejection or an uncaught exception: each fails a suite. */
export function serverLogFailures(logFile: string): string[] {
  return readFileSync(logFile, "utf8").match(/^.*(unhandled promise rejection|uncaught exception|uncaughtException).*$/gim) ?? [];
}
