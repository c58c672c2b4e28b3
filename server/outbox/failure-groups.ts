import type { FailureGroup, FailureGroupKey, FailureGroupsResponse } from "@/lib/contracts/outbox";
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
 * Grouping reads every failed row (through the failed partial index), which costs a few hundred
 * milliseconds at 100,000 failures. The groups are therefore computed in the background every
 * few seconds (FailureGroupCache) and served from memory, with the time they are as of.
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

export async function computeFailureGroups(table: OutboxTable, limit = MAX_FAILURE_GROUPS): Promise<FailureGroupsResponse> {
  const c = prefixed(table);
  const asOf = Date.now();
  // min(text) picks a stable sample; the window count tells how many groups there were in all.
  const result = await table.pool.query<GroupRecord>(
    `SELECT event_type, signature, n::text AS count, ${isoUtc("first_seen")} AS first_seen, ${isoUtc("last_seen")} AS last_seen,
            left(sample_error, ${SAMPLE_ERROR_MAX_CHARS}) AS sample_error, sample_event_id, (count(*) OVER ())::text AS groups
     FROM (
       SELECT ${c.eventType}::text AS event_type, ${signatureSql(c.lastError)} AS signature, count(*) AS n,
              min(${c.updatedAt}) AS first_seen, max(${c.updatedAt}) AS last_seen,
              min(${c.lastError}::text) AS sample_error, min(${c.eventId}::text) AS sample_event_id
       FROM ${table.quoted.table} o WHERE ${c.status} = $1
       GROUP BY 1, 2
     ) g
     ORDER BY n DESC, event_type, signature`,
    [statusValue(table, "failed")],
  );
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
  return { groups, totalFailed, truncated: result.rows.length > limit, asOf };
}

/** The row count of one group now. */
export async function countFailureGroup(table: OutboxTable, key: FailureGroupKey): Promise<number> {
  const c = prefixed(table);
  const params = new Params();
  const where = [`${c.status} = ${params.add(statusValue(table, "failed"))}`, ...groupConditions(table, key, params)];
  const result = await table.pool.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table.quoted.table} o WHERE ${where.join(" AND ")}`, params.values);
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
