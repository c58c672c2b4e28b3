import type { OutboxStatus } from "@/lib/contracts/outbox";
import type { QualifiedTableName } from "@/server/env";
import type { Pool } from "./db";
import { DEFAULT_OUTBOX_MAPPING, quoteOutboxTable, type OutboxTableMapping, type QuotedOutboxTable } from "./mapping";

/** The configured outbox table, with everything a query needs to name its parts safely. */
export interface OutboxTable {
  readonly pool: Pool;
  readonly name: QualifiedTableName;
  readonly mapping: OutboxTableMapping;
  readonly quoted: QuotedOutboxTable;
}

export function outboxTable(pool: Pool, name: QualifiedTableName, mapping: OutboxTableMapping = DEFAULT_OUTBOX_MAPPING): OutboxTable {
  return { pool, name, mapping, quoted: quoteOutboxTable(name, mapping) };
}

/** The column value of a logical status ('failed' → whatever the table writes for failed). */
export function statusValue(table: OutboxTable, status: OutboxStatus): string {
  return table.mapping.statuses[status];
}

/** The logical name of a stored status value; an unmapped value is shown as it is. */
export function logicalStatus(table: OutboxTable, value: string): string {
  const { statuses } = table.mapping;
  if (value === statuses.pending) return "pending";
  if (value === statuses.processed) return "processed";
  if (value === statuses.failed) return "failed";
  return value;
}

/** SQL for a timestamptz column as ISO 8601 UTC text with microseconds, as stored: exact for cursors. */
export function isoUtc(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
