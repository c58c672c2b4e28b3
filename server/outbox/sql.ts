import type { OutboxFilter } from "@/lib/contracts/outbox";
import { isoUtc, logicalStatus, statusValue, type OutboxTable } from "./table";
import type { OutboxRow } from "@/lib/contracts/outbox";

/**
 * Collects query parameters and hands out their placeholders: every user-supplied value reaches
 * PostgreSQL as a parameter, never as SQL text.
 */
export class Params {
  readonly values: unknown[] = [];

  /** `$n` for the value. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `%`, `_` and `\` in a LIKE operand are literal characters here, not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * WHERE conditions (ANDed) for a filter, on the table aliased `o`. Equality on text columns lets
 * PostgreSQL coerce the parameter to the column's type, so the table's own indexes apply.
 */
export function filterConditions(table: OutboxTable, filter: OutboxFilter, params: Params): string[] {
  const c = prefixed(table);
  const where: string[] = [];
  if (filter.status) where.push(`${c.status} = ${params.add(statusValue(table, filter.status))}`);
  if (filter.eventType) where.push(`${c.eventType} = ${params.add(filter.eventType)}`);
  if (filter.aggregateType) where.push(`${c.aggregateType} = ${params.add(filter.aggregateType)}`);
  if (filter.aggregateId) where.push(`${c.aggregateId} = ${params.add(filter.aggregateId)}`);
  if (filter.createdFrom) where.push(`${c.createdAt} >= ${params.add(filter.createdFrom)}::timestamptz`);
  if (filter.createdTo) where.push(`${c.createdAt} < ${params.add(filter.createdTo)}::timestamptz`);
  if (filter.error) where.push(`${c.lastError} ILIKE '%' || ${params.add(escapeLike(filter.error))} || '%'`);
  if (filter.retryCountMin !== undefined) where.push(`${c.retryCount} >= ${params.add(filter.retryCountMin)}`);
  if (filter.retryCountMax !== undefined) where.push(`${c.retryCount} <= ${params.add(filter.retryCountMax)}`);
  return where;
}

/** The mapped columns qualified by the alias `o`. */
export function prefixed(table: OutboxTable): { readonly [K in keyof OutboxTable["quoted"]["columns"]]: string } {
  const entries = Object.entries(table.quoted.columns).map(([key, name]) => [key, `o.${name}`]);
  return Object.fromEntries(entries) as { [K in keyof OutboxTable["quoted"]["columns"]]: string };
}

/** The select list of {@link OutboxRowRecord} (table aliased `o`); the payload only when asked for. */
export function rowSelectList(table: OutboxTable, withPayload = false): string {
  const c = prefixed(table);
  const list = [
    `${c.eventId}::text AS event_id`,
    `${c.sequence}::text AS sequence`,
    `${c.status}::text AS status`,
    `${c.eventType}::text AS event_type`,
    `${c.aggregateType}::text AS aggregate_type`,
    `${c.aggregateId}::text AS aggregate_id`,
    `${c.retryCount}::int AS retry_count`,
    `${isoUtc(c.createdAt)} AS created_at`,
    `${isoUtc(c.updatedAt)} AS updated_at`,
    `${isoUtc(c.processedAt)} AS processed_at`,
    `${c.lastError}::text AS last_error`,
  ];
  if (withPayload) list.push(`${c.payload} AS payload`);
  return list.join(", ");
}

/** A row as {@link rowSelectList} reads it. */
export interface OutboxRowRecord {
  event_id: string;
  sequence: string;
  status: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  retry_count: number;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
  last_error: string | null;
  payload?: unknown;
}

export function toOutboxRow(table: OutboxTable, record: OutboxRowRecord): OutboxRow {
  return {
    eventId: record.event_id,
    sequence: record.sequence,
    status: logicalStatus(table, record.status),
    eventType: record.event_type,
    aggregateType: record.aggregate_type,
    aggregateId: record.aggregate_id,
    retryCount: record.retry_count,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
    processedAt: record.processed_at,
    lastError: record.last_error,
  };
}
