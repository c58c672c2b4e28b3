import pg from "pg";
import type { PostgresHealth } from "@/lib/contracts/health";
import { withTimeout } from "@/lib/async/timeout";
import { describeError } from "@/lib/errors/describe-error";
import type { QualifiedTableName } from "@/server/env";
import { RequestError } from "@/server/http/request-error";
import type { Logger } from "@/server/log";

export type Pool = pg.Pool;

// The dashboard's own queries are few and short (health, counts, keyset pages). Five connections
// serve them concurrently while leaving the pipeline's database its connection slots; the
// application that writes the outbox matters more than its dashboard.
export const POOL_MAX_CONNECTIONS = 5;
// Idle connections are closed after this, so a quiet dashboard holds no server backends.
export const POOL_IDLE_TIMEOUT_MS = 30_000;
// No dashboard query may hold locks or a backend longer than this; a longer one is a bug (a missing
// index, a full scan) and PostgreSQL cancels it rather than letting it pile up behind polls.
export const STATEMENT_TIMEOUT_MS = 5_000;
// How much longer than statement_timeout the client waits for an answer before it gives up.
export const QUERY_TIMEOUT_GRACE_MS = 1_000;
// A read someone waits on (a page of rows, one row): the client gives up after this even when
// PostgreSQL hangs and its statement_timeout cannot fire. The outbox's keyset pages answer in
// milliseconds (npm run bench:outbox); one that takes seconds is better refused with the reason.
export const INTERACTIVE_QUERY_TIMEOUT_MS = 2_000;
/**
 * node-postgres's errors when connectionTimeoutMillis passes without a connection: the pool's, when
 * no client was free, and the client's, when the new connection's start-up was not answered.
 */
export const POOL_CONNECT_TIMEOUT_MESSAGES = ["timeout exceeded when trying to connect", "Connection terminated due to connection timeout"];
/** node-postgres's error when query_timeout passes without an answer. */
export const QUERY_READ_TIMEOUT_MESSAGE = "Query read timeout";
// Shown in pg_stat_activity, so a DBA can tell the dashboard's sessions from the application's.
export const APPLICATION_NAME = "outbox-lens";

export interface PoolSettings {
  connectionString: string;
  /** Deadline to obtain a connection (connecting included). */
  connectionTimeoutMs: number;
  statementTimeoutMs?: number;
  /** Lock waits longer than this are cancelled (lock_timeout); none when absent. */
  lockTimeoutMs?: number;
  maxConnections?: number;
  applicationName?: string;
  /**
   * Why PostgreSQL is known not to answer, or null. While it gives a reason, the pool refuses at
   * once (503 with that reason) instead of queueing requests behind a server that is hung: each
   * would wait out the connect or query timeout and hold a connection meanwhile.
   */
  unavailable?: () => string | null;
}

/**
 * The pg Pool of the process. Idle clients that lose their server (restart, network) emit "error"
 * on the pool; without a listener that event would crash the process, so it is logged instead and
 * the pool replaces the client on next use.
 */
export function createPool(settings: PoolSettings, logger: Logger): Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: settings.maxConnections ?? POOL_MAX_CONNECTIONS,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    statement_timeout: settings.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
    // PostgreSQL enforces statement_timeout itself, unless it hangs (stopped, a dead network path):
    // then the client gives up a second later, so no request waits on a pooled connection forever.
    query_timeout: (settings.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS) + QUERY_TIMEOUT_GRACE_MS,
    ...(settings.lockTimeoutMs ? { lock_timeout: settings.lockTimeoutMs } : {}),
    application_name: settings.applicationName ?? APPLICATION_NAME,
  });
  pool.on("error", (error) => logger.warn(`idle PostgreSQL connection failed: ${describeError(error)}`));
  const unavailable = settings.unavailable;
  if (unavailable) {
    // pool.query() goes through connect() too, so this one gate covers both.
    const connect = pool.connect.bind(pool) as (callback?: (error: Error | undefined, client?: pg.PoolClient, done?: () => void) => void) => Promise<pg.PoolClient> | undefined;
    pool.connect = ((callback?: (error: Error | undefined, client?: pg.PoolClient, done?: () => void) => void) => {
      const reason = unavailable();
      if (reason === null) return connect(callback);
      const refusal = new RequestError(503, `PostgreSQL is not answering (${reason}); the dashboard retries by itself when it does`);
      if (!callback) return Promise.reject(refusal);
      process.nextTick(callback, refusal);
      return undefined;
    }) as typeof pool.connect;
  }
  return pool;
}

/** A request-path read, given up after {@link INTERACTIVE_QUERY_TIMEOUT_MS} (node-postgres reads `query_timeout` per query). */
export function interactiveQuery(text: string, values: unknown[]): pg.QueryConfig {
  return { text, values, query_timeout: INTERACTIVE_QUERY_TIMEOUT_MS } as pg.QueryConfig;
}

/**
 * Runs `work` on a client of its own (a transaction's statements). node-postgres listens for
 * errors only on idle clients: a connection lost between two statements of a checked-out client
 * (a restart) would be emitted with no listener and end the process. Here it is caught (the next
 * statement fails with it), and a client that failed is destroyed rather than reused.
 */
export async function withPooledClient<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let lost: Error | null = null;
  const onError = (error: Error) => {
    lost = error;
  };
  // The listener goes on in pg-pool's callback, before the socket is read again: `await
  // pool.connect()` resumes a microtask later, and a new connection's ReadyForQuery and a
  // termination right after it (57P01) can arrive in one chunk, parsed in one go. The error was
  // then emitted on a client without a listener, an uncaught exception (seen once in CI, while a
  // test terminated an action's connections in a loop).
  const client = await new Promise<pg.PoolClient>((resolve, reject) => {
    pool.connect((error, connected) => {
      if (error || !connected) return reject(error ?? new Error("the pool gave no client"));
      connected.on("error", onError);
      resolve(connected);
    });
  });
  let failed = false;
  try {
    return await work(client);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.off("error", onError);
    client.release(failed || lost !== null ? true : undefined);
  }
}

interface ServerProbeRow {
  server_version: string;
  outbox_table_found: boolean;
}

/**
 * PostgreSQL is "up" when it answers within the deadline AND the configured outbox table exists:
 * a reachable server without the table cannot feed the pipeline. The report still carries the
 * server version in that case, so the operator sees which of the two is wrong. Never throws.
 */
export async function checkPostgres(
  pool: Pool,
  options: { outboxTable: QualifiedTableName; target: string; timeoutMs: number },
): Promise<PostgresHealth> {
  const started = performance.now();
  const detail: PostgresHealth["detail"] = {
    target: options.target,
    serverVersion: null,
    outboxTable: options.outboxTable.qualified,
    outboxTableFound: null,
  };
  const elapsed = () => Math.round(performance.now() - started);

  try {
    // One round trip proves the connection, reads the version and resolves the table name the way
    // PostgreSQL itself would (search rules, case folding); to_regclass returns null, not an error,
    // for a missing table.
    const result = await withTimeout(
      pool.query<ServerProbeRow>(
        "SELECT current_setting('server_version') AS server_version, to_regclass($1) IS NOT NULL AS outbox_table_found",
        [options.outboxTable.qualified],
      ),
      options.timeoutMs,
      `PostgreSQL at ${options.target}`,
    );
    const row = result.rows[0];
    if (!row) throw new Error("the health query returned no row");
    detail.serverVersion = row.server_version;
    detail.outboxTableFound = row.outbox_table_found;
    if (!row.outbox_table_found) {
      return {
        status: "down",
        latencyMs: elapsed(),
        error: `outbox table ${options.outboxTable.qualified} does not exist (or is not visible to this user)`,
        detail,
      };
    }
    return { status: "up", latencyMs: elapsed(), detail };
  } catch (error) {
    return { status: "down", latencyMs: elapsed(), error: describeError(error), detail };
  }
}
