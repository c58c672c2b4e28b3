import type { DecodeOptions, OutboxColumnMapping } from "./types";

/** What a decoded record keeps of a value by default: a screenful of JSON, and bounded memory per record in the live tail. */
export const DEFAULT_PREVIEW_BYTES = 64 * 1024;

/**
 * Values above this are not parsed by default. Kafka's default message.max.bytes is about 1 MiB,
 * so a bigger record is an anomaly to show, not to parse: V8 needs ~10 ms per MiB for the decode
 * and the parse together, time the live tail cannot spend.
 */
export const DEFAULT_MAX_PARSE_BYTES = 8 * 1024 * 1024;

/** The seed pipeline's outbox table has one jsonb column. */
export const DEFAULT_JSONB_COLUMNS: readonly string[] = ["payload"];

/** Debezium's default `unavailable.value.placeholder`. */
export const UNAVAILABLE_VALUE_PLACEHOLDER = "__debezium_unavailable_value";

/**
 * In a truncated change record, string cells longer than this are replaced by an OmittedCell (and
 * jsonb texts longer than this are not parsed). Longer than any id, status, type or timestamp the
 * metrics read; short enough that a record keeps a few KiB per column, not the megabytes of a
 * payload.
 */
export const MAX_CELL_CHARS_WHEN_TRUNCATED = 4096;

export const DEFAULT_OUTBOX_COLUMNS: OutboxColumnMapping = Object.freeze({
  eventId: "event_id",
  createdAt: "created_at",
  processedAt: "processed_at",
  status: "status",
  eventType: "event_type",
  aggregateType: "aggregate_type",
  aggregateId: "aggregate_id",
});

/** Options with every default applied, computed once per decoder rather than once per record. */
export interface ResolvedDecodeOptions {
  readonly previewBytes: number;
  readonly maxParseBytes: number;
  readonly jsonbColumns: ReadonlySet<string>;
  readonly columns: OutboxColumnMapping;
  readonly unavailableValuePlaceholder: string;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** Applies the defaults. Out-of-range sizes (zero, negative, NaN) fall back to their default rather than throwing. */
export function resolveDecodeOptions(options: DecodeOptions = {}): ResolvedDecodeOptions {
  return {
    previewBytes: positiveInteger(options.previewBytes, DEFAULT_PREVIEW_BYTES),
    maxParseBytes: positiveInteger(options.maxParseBytes, DEFAULT_MAX_PARSE_BYTES),
    jsonbColumns: new Set(options.jsonbColumns ?? DEFAULT_JSONB_COLUMNS),
    columns: { ...DEFAULT_OUTBOX_COLUMNS, ...withoutUndefined(options.columns) },
    unavailableValuePlaceholder: options.unavailableValuePlaceholder ?? UNAVAILABLE_VALUE_PLACEHOLDER,
  };
}

function withoutUndefined(columns: Partial<OutboxColumnMapping> | undefined): Partial<OutboxColumnMapping> {
  if (!columns) return {};
  return Object.fromEntries(Object.entries(columns).filter(([, name]) => typeof name === "string" && name !== ""));
}
