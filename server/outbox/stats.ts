import type pg from "pg";
import type { OutboxStats } from "@/lib/contracts/metrics";
import { withTimeout } from "@/lib/async/timeout";
import { describeError } from "@/lib/errors/describe-error";
import type { QualifiedTableName } from "@/server/env";
import type { Logger } from "@/server/log";
import { withPooledClient, type Pool } from "./db";
import { DEFAULT_OUTBOX_MAPPING, quoteOutboxTable, type OutboxTableMapping } from "./mapping";

/**
 * Counts, ages and rates of the outbox table and its replication slot, polled every 1-2 s.
 *
 * Cost is what decides every query here, because the table can hold hundreds of millions of
 * processed rows and the poll runs forever:
 *  - pending and failed are counted exactly through their partial indexes (`WHERE status =
 *    'pending'` / `'failed'`), which hold only the rare rows;
 *  - processed, the common status, is `reltuples − pending − failed` (the planner's row estimate,
 *    refreshed by autovacuum/ANALYZE) and labelled `exact: false`; only a small table, where a
 *    full count is cheap, is counted exactly;
 *  - the oldest pending row is the first entry of the pending index (ordered by sequence);
 *  - the insert rate is the advance of max(sequence) (a unique-index lookup);
 *  - the processed rate is derived from exact numbers without touching processed rows (below);
 *  - the failed rate counts recently failed rows through the failed index on updated_at.
 *
 * All of one poll's queries run in one REPEATABLE READ READ ONLY transaction, so they see one
 * snapshot: counts, max(sequence) and the by-status totals agree with each other, which the rate
 * derivation relies on.
 *
 * Rate derivation. Every row is in exactly one status. Over an interval with I inserts (all
 * pending), pp rows pending→processed, pf pending→failed, fp failed→processed and R retries
 * failed→pending:
 *     ΔP = I − pp − pf + R        ΔF = pf − R − fp
 * so   I − ΔP − ΔF = pp + fp      = rows that became processed, whatever the retries did.
 * I is the advance of max(sequence), ΔP and ΔF are exact, so the processed rate is exact without
 * an index on processed rows (one on updated_at would cost every write of the application).
 * It assumes that rows are inserted as pending, that pending and failed rows are not deleted, and
 * that sequence values are not skipped; a rolled-back insert burns a sequence value and is
 * counted as inserted and processed, and a row committed out of sequence order moves a unit of
 * rate from one poll to the next (a negative interval is shown as 0).
 * The failed rate cannot come from counts (a retry takes a row out of failed in the same interval
 * a new failure puts one in), so it counts failed rows whose updated_at lies in the interval, an
 * index range scan of the failed partial index on (updated_at, …). The interval ends
 * FAILED_COMMIT_GRACE_MS before the poll: updated_at is written before the transaction commits,
 * and a row committed after the poll that read its interval would otherwise never be counted.
 */

/** Below this many rows (planner estimate), every status is counted exactly: a full count is cheap. */
export const EXACT_COUNT_MAX_ROWS = 100_000;
/**
 * ...and only when the heap is at most this big. A table with few live rows can still be gigabytes
 * of dead tuples (bloat), or have stale statistics; count(*) reads the whole heap either way.
 */
export const EXACT_COUNT_MAX_BYTES = 64 * 1024 * 1024;
/** Status values other than the mapped three, in the exact count; a bound on a runaway column. */
export const MAX_STATUS_GROUPS = 20;
/** Rows of the retry distribution (retry_count 0, 1, 2, …); higher counts are cut off. */
export const MAX_RETRY_GROUPS = 50;
/**
 * The retry distribution reads every pending and failed row from the heap (retry_count is not in
 * the partial indexes). Above this many rows it is skipped and the last one kept: a backlog of
 * millions is the moment the dashboard must stay cheap.
 */
export const RETRY_DISTRIBUTION_MAX_ROWS = 100_000;
/**
 * The failed-rate interval ends this long before the poll. A processor's transaction writes
 * updated_at before it commits; one that commits within this grace is still counted.
 */
export const FAILED_COMMIT_GRACE_MS = 2_000;
/** Each poll's statements are cancelled by PostgreSQL after this (statement_timeout); keep it under the poll interval. */
export const DEFAULT_POLL_TIMEOUT_MS = 2_000;
// A server that stops answering (network partition, frozen host) never cancels anything; the
// client gives up this much after statement_timeout and discards the connection.
const CLIENT_DEADLINE_MARGIN_MS = 1_000;

export interface OutboxStatsPollerOptions {
  pool: Pool;
  table: QualifiedTableName;
  mapping?: OutboxTableMapping;
  /** Logical replication slot used by the connector; null when not monitored. */
  replicationSlot: string | null;
  logger: Logger;
  /** statement_timeout of each poll's statements, ms. */
  pollTimeoutMs?: number;
  /** Full counts below this many rows (default {@link EXACT_COUNT_MAX_ROWS}). */
  exactCountMaxRows?: number;
  /** End of the failed-rate interval before the poll, ms (default {@link FAILED_COMMIT_GRACE_MS}). */
  failedCommitGraceMs?: number;
  /** Clock of polledAt (epoch ms); tests pin it. */
  now?: () => number;
}

/** What one poll read, in one snapshot. */
interface PollSample {
  /** statement_timestamp() of the main query, ms: the database's clock, used for the rates. */
  statementAtMs: number;
  pending: number;
  failed: number;
  maxSequence: bigint | null;
  /** Failed rows with updated_at in (previous watermark, watermark]. */
  failedSincePrevious: number;
  /** statement_timestamp() − FAILED_COMMIT_GRACE_MS, as PostgreSQL text (microseconds kept). */
  failedWatermark: string;
  failedWatermarkMs: number;
  counts: OutboxStats["counts"];
  oldestPendingAgeMs: number | null;
  retryDistribution: OutboxStats["retryDistribution"] | null;
  slot: OutboxStats["slot"];
}

interface MainRow {
  reltuples: number;
  relation_bytes: number;
  pending: string;
  failed: string;
  max_sequence: string | null;
  oldest_pending_age_ms: number | null;
  failed_since: string;
  statement_at_ms: number;
  failed_watermark: string;
  failed_watermark_ms: number;
  slot_found: boolean;
  slot_active: boolean | null;
  slot_lag_bytes: number | null;
}

export class OutboxStatsPoller {
  private readonly pool: Pool;
  private readonly table: QualifiedTableName;
  private readonly mapping: OutboxTableMapping;
  private readonly slotName: string | null;
  private readonly logger: Logger;
  private readonly pollTimeoutMs: number;
  private readonly exactCountMaxRows: number;
  private readonly failedCommitGraceMs: number;
  private readonly now: () => number;
  private readonly sql: ReturnType<typeof outboxStatsQueries>;

  private previous: PollSample | null = null;
  private lastResult: OutboxStats | null = null;
  private interval: PollInterval | null = null;
  private inFlight: Promise<OutboxStats> | null = null;
  private failing = false;

  constructor(options: OutboxStatsPollerOptions) {
    this.pool = options.pool;
    this.table = options.table;
    this.mapping = options.mapping ?? DEFAULT_OUTBOX_MAPPING;
    this.slotName = options.replicationSlot;
    this.logger = options.logger;
    this.pollTimeoutMs = options.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    this.exactCountMaxRows = options.exactCountMaxRows ?? EXACT_COUNT_MAX_ROWS;
    this.failedCommitGraceMs = options.failedCommitGraceMs ?? FAILED_COMMIT_GRACE_MS;
    this.now = options.now ?? Date.now;
    this.sql = outboxStatsQueries(this.table, this.mapping);
  }

  /** The result of the last poll (good, or stale with `error`); null before the first one completes. */
  get latest(): OutboxStats | null {
    return this.lastResult;
  }

  /**
   * The counts behind the last rates: what happened between the last two good polls, measured on
   * the database's clock. Null until two polls succeeded, and after an interval without rates.
   */
  get lastInterval(): PollInterval | null {
    return this.interval;
  }

  /**
   * Reads the table once. Never rejects: when PostgreSQL is down or the poll times out, the last
   * good numbers come back with `error` set (and their own, older, polledAt), never zeros.
   * Overlapping calls share the poll in flight, so a slow database is not hit twice.
   */
  poll(): Promise<OutboxStats> {
    this.inFlight ??= this.pollOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async pollOnce(): Promise<OutboxStats> {
    let sample: PollSample;
    try {
      sample = await this.readSample();
    } catch (error) {
      const message = describeError(error);
      if (!this.failing) this.logger.warn(`outbox stats of ${this.table.qualified} unavailable: ${message}`);
      this.failing = true;
      const stale: OutboxStats = this.lastResult
        ? { ...this.lastResult, error: message }
        : {
            table: this.table.qualified,
            counts: [],
            oldestPendingAgeMs: null,
            retryDistribution: [],
            insertRate: null,
            processedRate: null,
            failedRate: null,
            slot: null,
            error: message,
            polledAt: this.now(),
          };
      this.lastResult = stale;
      return stale;
    }
    if (this.failing) this.logger.info(`outbox stats of ${this.table.qualified} available again`);
    this.failing = false;

    const rates = computeRates(this.previous, sample);
    this.interval = rates.interval;
    if (rates.sequenceWentBack) {
      this.logger.warn(`max(${this.mapping.columns.sequence}) of ${this.table.qualified} went back (table truncated or sequence reset); rates restart`);
    }
    const stats: OutboxStats = {
      table: this.table.qualified,
      counts: sample.counts,
      oldestPendingAgeMs: sample.oldestPendingAgeMs,
      retryDistribution: sample.retryDistribution ?? this.lastResult?.retryDistribution ?? [],
      insertRate: rates.insertRate,
      processedRate: rates.processedRate,
      failedRate: rates.failedRate,
      slot: sample.slot,
      error: null,
      polledAt: this.now(),
    };
    this.previous = sample;
    this.lastResult = stats;
    return stats;
  }

  private async readSample(): Promise<PollSample> {
    // The pool's connectionTimeoutMillis bounds the wait for a connection. After any failure the
    // connection's state is unknown (aborted transaction, a statement still running on a hung
    // server): withPooledClient destroys it rather than hand it to the next caller.
    return withPooledClient(this.pool, (client) =>
      withTimeout(this.readInTransaction(client), this.pollTimeoutMs + CLIENT_DEADLINE_MARGIN_MS, `PostgreSQL (outbox stats of ${this.table.qualified})`),
    );
  }

  private async readInTransaction(client: pg.PoolClient): Promise<PollSample> {
    const { pending, failed } = this.mapping.statuses;
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await client.query("SELECT set_config('statement_timeout', $1, true)", [String(this.pollTimeoutMs)]);

    const main = await client.query<MainRow>(this.sql.main, [
      this.sql.regclass,
      pending,
      failed,
      this.previous?.failedWatermark ?? null,
      this.failedCommitGraceMs,
      this.slotName,
    ]);
    const row = main.rows[0];
    if (!row) throw new Error(`${this.table.qualified}: the stats query returned no row`);
    const pendingCount = Number(row.pending);
    const failedCount = Number(row.failed);

    const exact =
      row.reltuples < this.exactCountMaxRows && row.relation_bytes <= EXACT_COUNT_MAX_BYTES;
    let counts: OutboxStats["counts"];
    if (exact) {
      const grouped = await client.query<{ status: string; count: string }>(this.sql.countsByStatus, [MAX_STATUS_GROUPS]);
      counts = exactCounts(this.mapping, grouped.rows.map((r) => ({ status: r.status, count: Number(r.count) })));
    } else {
      counts = estimatedCounts(this.mapping, row.reltuples, pendingCount, failedCount);
    }

    let retryDistribution: OutboxStats["retryDistribution"] | null = null;
    if (pendingCount + failedCount <= RETRY_DISTRIBUTION_MAX_ROWS) {
      const retries = await client.query<{ retry_count: number; count: string }>(this.sql.retryDistribution, [
        pending,
        failed,
        MAX_RETRY_GROUPS,
      ]);
      retryDistribution = retries.rows.map((r) => ({ retryCount: Number(r.retry_count), count: Number(r.count) }));
    }
    await client.query("COMMIT");

    return {
      statementAtMs: row.statement_at_ms,
      pending: pendingCount,
      failed: failedCount,
      maxSequence: row.max_sequence === null ? null : BigInt(row.max_sequence),
      failedSincePrevious: Number(row.failed_since),
      failedWatermark: row.failed_watermark,
      failedWatermarkMs: row.failed_watermark_ms,
      counts,
      oldestPendingAgeMs: row.oldest_pending_age_ms,
      retryDistribution,
      slot:
        this.slotName === null
          ? null
          : {
              name: this.slotName,
              // A configured slot that does not exist is reported inactive: the connector cannot
              // be streaming from it.
              active: row.slot_found && row.slot_active === true,
              lagBytes: row.slot_lag_bytes === null ? null : Math.max(0, row.slot_lag_bytes),
            },
    };
  }
}

/** The SQL texts of one table and mapping; identifiers quoted once, values always parameters. */
export function outboxStatsQueries(table: QualifiedTableName, mapping: OutboxTableMapping) {
  const t = quoteOutboxTable(table, mapping);
  const c = t.columns;
  // Each status filter is written as `status = $n` with a single value so the planner can match
  // it to the partial index predicate (`WHERE status = 'pending'`); unnamed statements are
  // planned with their parameter values, so the match is made on every poll.
  // The size and row estimate of the heap the counts would read: the table itself, or the leaf
  // partitions of a partitioned table (whose own pg_class row holds neither). One leaf never
  // analyzed (reltuples −1) makes the whole estimate unknown.
  const main = `
    WITH heap AS (
      SELECT c.oid, c.reltuples FROM pg_class AS c WHERE c.oid = $1::regclass AND c.relkind <> 'p'
      UNION ALL
      SELECT c.oid, c.reltuples
      FROM pg_partition_tree($1::regclass) AS tree JOIN pg_class AS c ON c.oid = tree.relid
      WHERE tree.isleaf AND (SELECT relkind FROM pg_class WHERE oid = $1::regclass) = 'p'
    )
    SELECT
      (SELECT CASE WHEN bool_or(reltuples < 0) THEN -1 ELSE coalesce(sum(reltuples), 0) END FROM heap)::float8 AS reltuples,
      (SELECT coalesce(sum(pg_relation_size(oid)), 0) FROM heap)::float8 AS relation_bytes,
      (SELECT count(*) FROM ${t.table} WHERE ${c.status} = $2) AS pending,
      (SELECT count(*) FROM ${t.table} WHERE ${c.status} = $3) AS failed,
      (SELECT max(${c.sequence}) FROM ${t.table})::text AS max_sequence,
      (SELECT greatest(0, extract(epoch FROM statement_timestamp() - ${c.createdAt}) * 1000)::float8
         FROM ${t.table} WHERE ${c.status} = $2 ORDER BY ${c.sequence} LIMIT 1) AS oldest_pending_age_ms,
      (SELECT count(*) FROM ${t.table}
         WHERE ${c.status} = $3
           AND ${c.updatedAt} > $4::timestamptz
           AND ${c.updatedAt} <= statement_timestamp() - make_interval(secs => $5::float8 / 1000)) AS failed_since,
      (extract(epoch FROM statement_timestamp()) * 1000)::float8 AS statement_at_ms,
      (statement_timestamp() - make_interval(secs => $5::float8 / 1000))::text AS failed_watermark,
      (extract(epoch FROM statement_timestamp() - make_interval(secs => $5::float8 / 1000)) * 1000)::float8 AS failed_watermark_ms,
      slot.slot_name IS NOT NULL AS slot_found,
      slot.active AS slot_active,
      -- A standby (PostgreSQL 16+ can host logical slots) has no current WAL position of its own.
      pg_wal_lsn_diff(
        CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END,
        slot.confirmed_flush_lsn
      )::float8 AS slot_lag_bytes
    FROM (SELECT 1) AS one
    LEFT JOIN pg_replication_slots AS slot ON slot.slot_name = $6::text`;
  const countsByStatus = `
    SELECT ${c.status}::text AS status, count(*) AS count
    FROM ${t.table}
    GROUP BY ${c.status}
    ORDER BY count(*) DESC
    LIMIT $1`;
  // UNION ALL keeps one status per branch, so each branch reads its own partial index.
  const retryDistribution = `
    SELECT retry_count, count(*) AS count
    FROM (
      SELECT ${c.retryCount} AS retry_count FROM ${t.table} WHERE ${c.status} = $1
      UNION ALL
      SELECT ${c.retryCount} AS retry_count FROM ${t.table} WHERE ${c.status} = $2
    ) AS rare
    GROUP BY retry_count
    ORDER BY retry_count
    LIMIT $3`;
  return { regclass: t.table, main, countsByStatus, retryDistribution };
}

/** Exact counts: the three mapped statuses first (0 when absent), then any others by size. */
export function exactCounts(mapping: OutboxTableMapping, grouped: Array<{ status: string; count: number }>): OutboxStats["counts"] {
  const byStatus = new Map(grouped.map((g) => [g.status, g.count]));
  const mapped = [mapping.statuses.pending, mapping.statuses.processed, mapping.statuses.failed];
  const counts = mapped.map((status) => ({ status, count: byStatus.get(status) ?? 0, exact: true }));
  for (const g of grouped) {
    if (!mapped.includes(g.status)) counts.push({ status: g.status, count: g.count, exact: true });
  }
  return counts;
}

/**
 * Pending and failed exact; processed ≈ reltuples − pending − failed (anything that is neither
 * pending nor failed is counted in it), floored at 0 because reltuples lags behind the table.
 * reltuples is −1 for a table never vacuumed or analyzed: then processed is left out rather than
 * shown as a wrong number.
 */
export function estimatedCounts(mapping: OutboxTableMapping, reltuples: number, pending: number, failed: number): OutboxStats["counts"] {
  const counts: OutboxStats["counts"] = [{ status: mapping.statuses.pending, count: pending, exact: true }];
  if (reltuples >= 0) {
    counts.push({ status: mapping.statuses.processed, count: Math.max(0, Math.round(reltuples) - pending - failed), exact: false });
  }
  counts.push({ status: mapping.statuses.failed, count: failed, exact: true });
  return counts;
}

export interface PollInterval {
  /** Length of the interval, s (statement_timestamp() difference of the two polls). */
  seconds: number;
  /** Advance of max(sequence). */
  inserted: number;
  /** inserted − Δpending − Δfailed: rows that became processed; negative when commits came out of sequence order. */
  becameProcessed: number;
  /** Failed rows whose updated_at fell in the (grace-shifted) failed-rate interval. */
  failed: number;
  /** Length of that interval, s. */
  failedSeconds: number;
}

interface Rates {
  insertRate: number | null;
  processedRate: number | null;
  failedRate: number | null;
  interval: PollInterval | null;
  sequenceWentBack: boolean;
}

/** Per-second rates between two polls (see the derivation at the top of this file). */
function computeRates(previous: PollSample | null, current: PollSample): Rates {
  const none: Rates = { insertRate: null, processedRate: null, failedRate: null, interval: null, sequenceWentBack: false };
  if (!previous) return none;
  const seconds = (current.statementAtMs - previous.statementAtMs) / 1000;
  if (!(seconds > 0)) return none;

  const failedSeconds = (current.failedWatermarkMs - previous.failedWatermarkMs) / 1000;
  const failedRate = failedSeconds > 0 ? current.failedSincePrevious / failedSeconds : null;

  let inserted: number | null;
  if (previous.maxSequence === null && current.maxSequence === null) inserted = 0;
  // The first row of an empty table: where its sequence started is unknown.
  else if (previous.maxSequence === null || current.maxSequence === null) inserted = null;
  else inserted = Number(current.maxSequence - previous.maxSequence);
  if (inserted !== null && inserted < 0) return { ...none, failedRate, sequenceWentBack: true };
  if (inserted === null) return { ...none, failedRate };

  const becameProcessed = inserted - (current.pending - previous.pending) - (current.failed - previous.failed);
  return {
    insertRate: inserted / seconds,
    processedRate: Math.max(0, becameProcessed) / seconds,
    failedRate,
    interval: { seconds, inserted, becameProcessed, failed: current.failedSincePrevious, failedSeconds },
    sequenceWentBack: false,
  };
}
