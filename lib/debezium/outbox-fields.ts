import { ownValue } from "./json";
import { temporalToEpochMs } from "./temporal";
import type { ColumnSchema, OutboxColumnMapping, OutboxFields, Row } from "./types";

export const NO_OUTBOX_FIELDS: OutboxFields = Object.freeze({
  eventId: undefined,
  createdAtMs: undefined,
  processedAtMs: undefined,
  status: undefined,
  eventType: undefined,
  aggregateType: undefined,
  aggregateId: undefined,
});

/**
 * The outbox fields of a row image. Timestamps use the column's schema name when the record
 * carried one (schemas.enable=true), otherwise `temporalToEpochMs`'s inference. An UnavailableCell
 * or OmittedCell reads as undefined: it is an object, and none of these fields are objects.
 */
export function readOutboxFields(
  row: Row | null,
  columns: OutboxColumnMapping,
  columnSchemas: Readonly<Record<string, ColumnSchema>> | null = null,
): OutboxFields {
  if (row === null) return NO_OUTBOX_FIELDS;
  return {
    eventId: identifier(ownValue(row, columns.eventId)),
    createdAtMs: timestamp(row, columns.createdAt, columnSchemas),
    processedAtMs: timestamp(row, columns.processedAt, columnSchemas),
    status: text(ownValue(row, columns.status)),
    eventType: text(ownValue(row, columns.eventType)),
    aggregateType: text(ownValue(row, columns.aggregateType)),
    aggregateId: identifier(ownValue(row, columns.aggregateId)),
  };
}

function timestamp(row: Row, column: string, columnSchemas: Readonly<Record<string, ColumnSchema>> | null): number | undefined {
  const value = ownValue(row, column);
  if (value === undefined || value === null) return undefined;
  const schema = columnSchemas === null ? undefined : ownValue(columnSchemas, column);
  return temporalToEpochMs(value, (schema as ColumnSchema | undefined)?.name);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Ids may be uuid/text columns (strings) or bigint/serial columns (numbers). */
function identifier(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
