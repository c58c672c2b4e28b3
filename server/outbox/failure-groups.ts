import pg from "pg";
import type { FailureGroup, FailureGroupIndex, FailureGroupKey, FailureGroupsResponse } from "@/lib/contracts/outbox";
import { OWN_SCHEMA } from "./own-schema";
import { Params, prefixed } from "./sql";
import { isoUtc, statusValue, type OutboxTable } from "./table";

/**
 * Failed rows grouped by event type and error signature: the error text with what varies between
 * occurrences of one cause (quoted values, UUIDs, long hex ids, numbers) replaced by placeholders,
 * so "Timeout after 3000 ms calling billing" and "Timeout after 5000 ms calling billing" are one
 * group. The signature is computed in SQL, the same expression for grouping and for selecting a
 * group's rows (retry or replay of a group), so a group's count and its action agree by
 * construction.
 *
 * Grouping reads every failed row (through the failed partial index) and runs the signature's
 * regular expressions on each: ~0.4 s at 100,000 failures in 10 M rows, ~0.7 s to count one group.
 * The groups are therefore computed in the background every few seconds (FailureGroupCache) and
 * served from memory, with the time they are as of. The failure-group index
 * ({@link failureGroupIndexSql}) makes both index-only scans (~63 ms and ~3 ms at 100,000 failures
 * in 10 M rows): the grouping says whether it found one, and recommends it when it was slow
 * without.
 */

/** Groups returned at most (the largest); a runaway variety of errors must not make a huge page. */
export const MAX_FAILURE_GROUPS = 200;
/** Signatures are cut to this length: long stack traces differ only in their tails. */
export const SIGNATURE_MAX_CHARS = 300;
/** Sample error texts are cut to this length in the group list. */
export const SAMPLE_ERROR_MAX_CHARS = 2_000;

/**
 * The body of `outbox_lens.error_signature(text)` (created by the migrations). Order matters:
 * quoted values first (they may contain digits and ids), then UUIDs, then long hex ids, then any
 * number; whitespace collapsed; cut to SIGNATURE_MAX_CHARS.
 */
export function signatureExpression(column: string): string {
  let expr = `coalesce(${column}, '')`;
  expr = `regexp_replace(${expr}, '''[^'']*''|"[^"]*"', '?', 'g')`;
  expr = `regexp_replace(${expr}, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', '<id>', 'g')`;
  expr = `regexp_replace(${expr}, '\\m[0-9a-fA-F]{16,}\\M', '<id>', 'g')`;
  expr = `regexp_replace(${expr}, '[0-9]+([.,][0-9]+)*', '<n>', 'g')`;
  expr = `regexp_replace(${expr}, '\\s+', ' ', 'g')`;
  return `left(btrim(${expr}), ${SIGNATURE_MAX_CHARS})`;
}

/**
 * A row's error signature in SQL, through the IMMUTABLE function of our schema so that a table
 * with many failures can index it (README: "the failure-group index"): a group's count and rows
 * are then an index range scan instead of a regular-expression pass over every failed row.
 * Without the index PostgreSQL inlines the function: the cost is the expression's.
 */
export function signatureSql(column: string): string {
  return `${OWN_SCHEMA}.error_signature(${column}::text)`;
}

/** Conditions selecting one group's rows (status failed implied by the caller). */
export function groupConditions(table: OutboxTable, key: FailureGroupKey, params: Params): string[] {
  const c = prefixed(table);
  return [`${c.eventType} = ${params.add(key.eventType)}`, `${signatureSql(c.lastError)} = ${params.add(key.signature)}`];
}

/**
 * A grouping slower than this without a covering failure-group index brings the index's advice
 * to the page: the grouping runs every few seconds, and a group's count, dry run and every batch
 * of its retry pay the same regular-expression pass over the failed rows.
 */
export const SLOW_GROUPING_MS = 200;

/** PostgreSQL's identifier limit (NAMEDATALEN − 1 bytes); a longer name would be cut silently. */
const MAX_IDENTIFIER_BYTES = 63;
const INDEX_NAME_SUFFIX = "_failure_group_idx";

/** The name {@link failureGroupIndexSql} gives the index: `<table>_failure_group_idx`, within PostgreSQL's limit. */
export function failureGroupIndexName(table: OutboxTable): string {
  let base = table.name.table;
  while (Buffer.byteLength(base + INDEX_NAME_SUFFIX) > MAX_IDENTIFIER_BYTES) base = base.slice(0, -1);
  return base + INDEX_NAME_SUFFIX;
}

/**
 * The failure-group index for the configured table and mapping: keyed by event type and error
 * signature, partial on the failed status, and covering (INCLUDE) the columns the grouping reads.
 * Covering matters: PostgreSQL serves an expression index by an index-only scan only when the
 * columns inside the expression are in the index too, else it reads every group's rows from the
 * table (60–80 ms instead of 3–6 ms for a group of 20,000 in 10 M rows). Outbox Lens never creates it:
 * the operator runs it (README "the failure-group index").
 */
export function failureGroupIndexSql(table: OutboxTable): string {
  const c = table.quoted.columns;
  return (
    `CREATE INDEX ${pg.escapeIdentifier(failureGroupIndexName(table))} ON ${table.quoted.table}\n` +
    `  (${c.eventType}, ${OWN_SCHEMA}.error_signature(${c.lastError}))\n` +
    `  INCLUDE (${c.lastError}, ${c.updatedAt}, ${c.eventId})\n` +
    `  WHERE ${c.status} = ${pg.escapeLiteral(statusValue(table, "failed"))};`
  );
}

/**
 * The table's index on the error signature, if it has one: the best of them (valid and covering
 * first). Valid is false while `CREATE INDEX CONCURRENTLY` builds it (or after that failed).
 */
export async function findFailureGroupIndex(table: OutboxTable): Promise<FailureGroupIndex | null> {
  const result = await table.pool.query<{ name: string; columns: string[]; valid: boolean }>(
    `SELECT c.relname::text AS name, i.indisvalid AS valid,
            ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) AS k JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k) AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = $1::regclass AND pg_get_expr(i.indexprs, i.indrelid) LIKE $2`,
    [table.quoted.table, `%${OWN_SCHEMA}.error_signature(%`],
  );
  const { lastError, updatedAt, eventId } = table.mapping.columns;
  const found = result.rows.map((row) => ({ name: row.name, valid: row.valid, covering: [lastError, updatedAt, eventId].every((column) => row.columns.includes(column)) }));
  found.sort((a, b) => Number(b.valid) - Number(a.valid) || Number(b.covering) - Number(a.covering));
  return found[0] ?? null;
}

interface GroupRecord {
  event_type: string;
  signature: string;
  count: string;
  first_seen: string;
  last_seen: string;
  sample_error: string | null;
  sample_event_id: string;
  groups: string;
}

/** The grouping query (exported for the bench's plan). */
export function failureGroupingQuery(table: OutboxTable): { text: string; values: unknown[] } {
  const c = prefixed(table);
  // min(text) picks a stable sample; the window count tells how many groups there were in all.
  return {
    text: `SELECT event_type, signature, n::text AS count, ${isoUtc("first_seen")} AS first_seen, ${isoUtc("last_seen")} AS last_seen,
            left(sample_error, ${SAMPLE_ERROR_MAX_CHARS}) AS sample_error, sample_event_id, (count(*) OVER ())::text AS groups
     FROM (
       SELECT ${c.eventType}::text AS event_type, ${signatureSql(c.lastError)} AS signature, count(*) AS n,
              min(${c.updatedAt}) AS first_seen, max(${c.updatedAt}) AS last_seen,
              min(${c.lastError}::text) AS sample_error, min(${c.eventId}::text) AS sample_event_id
       FROM ${table.quoted.table} o WHERE ${c.status} = $1
       GROUP BY 1, 2
     ) g
     ORDER BY n DESC, event_type, signature`,
    values: [statusValue(table, "failed")],
  };
}

export async function computeFailureGroups(table: OutboxTable, limit = MAX_FAILURE_GROUPS): Promise<FailureGroupsResponse> {
  const asOf = Date.now();
  const started = performance.now();
  const query = failureGroupingQuery(table);
  const result = await table.pool.query<GroupRecord>(query.text, query.values);
  const computeMs = Math.round(performance.now() - started);
  const signatureIndex = await findFailureGroupIndex(table);
  const groups: FailureGroup[] = result.rows.slice(0, limit).map((row) => ({
    eventType: row.event_type,
    signature: row.signature,
    count: Number(row.count),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    sampleError: row.sample_error,
    sampleEventId: row.sample_event_id,
  }));
  const totalFailed = result.rows.reduce((sum, row) => sum + Number(row.count), 0);
  const indexed = signatureIndex !== null && signatureIndex.valid && signatureIndex.covering;
  const indexAdvice = indexed || computeMs < SLOW_GROUPING_MS ? null : failureGroupIndexSql(table);
  return { groups, totalFailed, truncated: result.rows.length > limit, asOf, computeMs, index: signatureIndex, indexAdvice };
}

/** The query counting one group's rows (exported for the plan checks of the tests and the bench). */
export function countFailureGroupQuery(table: OutboxTable, key: FailureGroupKey): { text: string; values: unknown[] } {
  const c = prefixed(table);
  const params = new Params();
  const where = [`${c.status} = ${params.add(statusValue(table, "failed"))}`, ...groupConditions(table, key, params)];
  return { text: `SELECT count(*)::text AS count FROM ${table.quoted.table} o WHERE ${where.join(" AND ")}`, values: params.values };
}

/** The row count of one group now. */
export async function countFailureGroup(table: OutboxTable, key: FailureGroupKey): Promise<number> {
  const query = countFailureGroupQuery(table, key);
  const result = await table.pool.query<{ count: string }>(query.text, query.values);
  return Number(result.rows[0]?.count ?? 0);
}

/** How often the cached grouping is recomputed: at least this often... */
export const FAILURE_GROUPS_MIN_INTERVAL_MS = 5_000;
/** ...and never more than this share of the time spent computing it (a slow grouping runs less often). */
export const FAILURE_GROUPS_MAX_DUTY = 0.05;

/**
 * The latest grouping, recomputed on demand when older than its interval (at most one computation
 * at a time; concurrent callers share it). `invalidate()` after an action makes the next read fresh.
 */
export class FailureGroupCache {
  private latest: FailureGroupsResponse | null = null;
  private computing: Promise<FailureGroupsResponse> | null = null;
  private lastDurationMs = 0;

  constructor(private readonly table: OutboxTable) {}

  async get(): Promise<FailureGroupsResponse> {
    const interval = Math.max(FAILURE_GROUPS_MIN_INTERVAL_MS, this.lastDurationMs / FAILURE_GROUPS_MAX_DUTY);
    if (this.latest && Date.now() - this.latest.asOf < interval) return this.latest;
    return this.refresh();
  }

  invalidate(): void {
    this.latest = null;
  }

  private refresh(): Promise<FailureGroupsResponse> {
    if (this.computing) return this.computing;
    const started = performance.now();
    this.computing = computeFailureGroups(this.table)
      .then((groups) => {
        this.latest = groups;
        this.lastDurationMs = performance.now() - started;
        return groups;
      })
      .finally(() => {
        this.computing = null;
      });
    return this.computing;
  }
}
