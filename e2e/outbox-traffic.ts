import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import pg from "pg";
import type { OutboxEvent } from "@/stack/workload/events";
import { insertEvents, runWorkload } from "@/stack/workload/run";

/**
 * Outbox inserts while a spec runs, so the live pages have something to measure whether or not
 * anything else writes to the stack. The stack is the one the server under test watches: the env
 * file Playwright's web server is started with (.stack-test/env unless OUTBOX_LENS_ENV_FILE says
 * otherwise).
 */

// Enough for every stage to have throughput and latency samples within a few seconds; small
// enough to leave the shared test stack's backlog near zero.
const TRAFFIC_EVENTS_PER_SECOND = 20;

function stackSettings(): { databaseUrl: string; table: string } {
  const file = resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env");
  const entries = parseEnv(readFileSync(file, "utf8"));
  const databaseUrl = entries.DATABASE_URL;
  const table = entries.OUTBOX_TABLE;
  if (!databaseUrl || !table) throw new Error(`${file} sets no DATABASE_URL or OUTBOX_TABLE`);
  return { databaseUrl, table };
}

/** Starts inserting; the returned function stops and waits for the last transaction. */
export function startOutboxTraffic(): () => Promise<void> {
  const controller = new AbortController();
  const done = runWorkload({ ...stackSettings(), rate: TRAFFIC_EVENTS_PER_SECOND, concurrency: 1, signal: controller.signal });
  return async () => {
    controller.abort();
    await done;
  };
}

/** Inserts one event into the outbox of the stack under test, committed when this resolves. */
export async function insertOutboxEvent(event: OutboxEvent): Promise<void> {
  const { databaseUrl, table } = stackSettings();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await insertEvents(pool, table, [event]);
  } finally {
    await pool.end();
  }
}
