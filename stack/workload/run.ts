// Inserts outbox rows at a steady rate, the way an application does: each transaction writes the
// events of a few business operations. The schedule is computed from the start time (no drift);
// when PostgreSQL cannot keep up, the run falls behind by at most MAX_BEHIND_S and reports it.
import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import { generateOperation, type OutboxEvent } from "./events";

// Ticks per second: 20 keeps each insert small at low rates and batches enough at 2,000+ events/s.
const TICKS_PER_SECOND = 20;
// The schedule never owes more than this much work: a stalled database must not turn into an
// unbounded burst (or unbounded memory) when it comes back.
const MAX_BEHIND_S = 2;

export interface WorkloadOptions {
  databaseUrl: string;
  table: string;
  /** Events per second. */
  rate: number;
  durationMs?: number;
  count?: number;
  /** Transactions in flight at once (one pool connection each). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: WorkloadProgress) => void;
}

export interface WorkloadProgress {
  inserted: number;
  elapsedMs: number;
  skipped: number;
  errors: number;
  lastError?: string;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export async function insertEvents(client: pg.Pool | pg.ClientBase, table: string, events: OutboxEvent[]): Promise<void> {
  if (!TABLE_NAME.test(table)) throw new Error(`table must be [schema.]name, got ${table}`);
  await client.query(
    `INSERT INTO ${table} (event_id, aggregate_id, aggregate_type, event_type, payload)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
    [
      events.map((e) => e.eventId),
      events.map((e) => e.aggregateId),
      events.map((e) => e.aggregateType),
      events.map((e) => e.eventType),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
}

async function insertTransaction(pool: pg.Pool, table: string, events: OutboxEvent[]): Promise<void> {
  const client = await pool.connect();
  // A connection lost between two statements (a restart) fails the next one; without a listener
  // node-postgres would emit it as an uncaught error.
  const ignore = () => undefined;
  client.on("error", ignore);
  try {
    await client.query("BEGIN");
    await insertEvents(client, table, events);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.off("error", ignore);
    client.release();
  }
}

export async function runWorkload(options: WorkloadOptions): Promise<WorkloadProgress> {
  const concurrency = options.concurrency ?? 4;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: concurrency, connectionTimeoutMillis: 5_000 });
  pool.on("error", () => undefined); // an idle client's error surfaces on its next use
  const progress: WorkloadProgress = { inserted: 0, elapsedMs: 0, skipped: 0, errors: 0 };
  const started = performance.now();
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  let scheduled = 0;
  try {
    for (let tick = 1; ; tick++) {
      if (options.signal?.aborted) break;
      const elapsedMs = performance.now() - started;
      if (options.durationMs !== undefined && elapsedMs >= options.durationMs) break;
      if (scheduled >= limit) break;
      const due = Math.min(limit, Math.floor((elapsedMs / 1000) * options.rate));
      if (due - scheduled > options.rate * MAX_BEHIND_S) {
        const skip = due - scheduled - Math.floor(options.rate * MAX_BEHIND_S);
        progress.skipped += skip;
        scheduled += skip;
      }
      const operations: OutboxEvent[][] = [];
      let batch = 0;
      while (scheduled + batch < due) {
        const op = generateOperation().slice(0, due - scheduled - batch);
        operations.push(op);
        batch += op.length;
      }
      scheduled += batch;
      if (operations.length > 0) {
        // Spread the operations over the pool's connections, one transaction each.
        const groups: OutboxEvent[][] = Array.from({ length: Math.min(concurrency, operations.length) }, () => []);
        operations.forEach((op, i) => groups[i % groups.length]!.push(...op));
        const results = await Promise.allSettled(groups.map((events) => insertTransaction(pool, options.table, events)));
        results.forEach((result, i) => {
          if (result.status === "fulfilled") progress.inserted += groups[i]!.length;
          else {
            progress.errors += 1;
            progress.lastError = (result.reason as Error).message;
          }
        });
      }
      progress.elapsedMs = performance.now() - started;
      options.onProgress?.(progress);
      const nextTickAt = started + (tick * 1000) / TICKS_PER_SECOND;
      const wait = nextTickAt - performance.now();
      if (wait > 0) await delay(wait, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    await pool.end();
  }
  progress.elapsedMs = performance.now() - started;
  return progress;
}
