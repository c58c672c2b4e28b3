import pg from "pg";
import type { OutboxColumnMapping } from "@/lib/debezium";
import type { QualifiedTableName } from "@/server/env";

/**
 * How a user's outbox table names its columns and statuses. Real tables differ from the seed
 * (stack/sql/outbox.sql): `id` instead of `event_id`, `state` instead of `status`, `'DONE'` instead
 * of `'processed'`. Every query of server/outbox reads names from here, never from literals.
 */
export interface OutboxTableMapping {
  statuses: {
    /** Written by the application on insert; waiting for the consumer. */
    pending: string;
    /** The consumer handled the event. */
    processed: string;
    /** The consumer gave up on the event (last error in `lastError`). */
    failed: string;
  };
  columns: {
    eventId: string;
    /**
     * Monotonic insert order (a bigserial or identity column). Must be indexed: the newest value
     * (the insert rate) and the oldest pending row are read through that index.
     */
    sequence: string;
    status: string;
    retryCount: string;
    createdAt: string;
    /** Must change with every status change: the failed rate counts rows by it. */
    updatedAt: string;
    processedAt: string;
    lastError: string;
    eventType: string;
    aggregateType: string;
    aggregateId: string;
    /** The event's body (jsonb or json), read for the event trace and for replays. */
    payload: string;
  };
}

/** The seed pipeline's table (stack/sql/outbox.sql). */
export const DEFAULT_OUTBOX_MAPPING: OutboxTableMapping = Object.freeze({
  statuses: Object.freeze({ pending: "pending", processed: "processed", failed: "failed" }),
  columns: Object.freeze({
    eventId: "event_id",
    sequence: "sequence_id",
    status: "status",
    retryCount: "retry_count",
    createdAt: "created_at",
    updatedAt: "updated_at",
    processedAt: "processed_at",
    lastError: "last_error",
    eventType: "event_type",
    aggregateType: "aggregate_type",
    aggregateId: "aggregate_id",
    payload: "payload",
  }),
});

/** The column names of a mapping, each quoted for SQL text. */
export type QuotedColumns = { readonly [K in keyof OutboxTableMapping["columns"]]: string };

export interface QuotedOutboxTable {
  /** `"schema"."table"`, for FROM clauses and `::regclass` casts. */
  readonly table: string;
  readonly columns: QuotedColumns;
}

/**
 * Quotes the table and every mapped column with pg's escapeIdentifier, which doubles embedded
 * quotes: a configured name can never end the identifier and inject SQL. Status values are not
 * quoted here: they travel as query parameters.
 */
export function quoteOutboxTable(table: QualifiedTableName, mapping: OutboxTableMapping = DEFAULT_OUTBOX_MAPPING): QuotedOutboxTable {
  const columns = Object.fromEntries(
    Object.entries(mapping.columns).map(([key, name]) => [key, pg.escapeIdentifier(name)]),
  ) as unknown as QuotedColumns;
  return {
    table: `${pg.escapeIdentifier(table.schema)}.${pg.escapeIdentifier(table.table)}`,
    columns: Object.freeze(columns),
  };
}

/** The columns the Debezium decoder reads from change events: the same names the queries use. */
export function eventColumnsOf(mapping: OutboxTableMapping): OutboxColumnMapping {
  const { columns } = mapping;
  return {
    eventId: columns.eventId,
    createdAt: columns.createdAt,
    processedAt: columns.processedAt,
    status: columns.status,
    eventType: columns.eventType,
    aggregateType: columns.aggregateType,
    aggregateId: columns.aggregateId,
  };
}
