import { isJsonObject, type JsonObject } from "./json";
import type { ResolvedDecodeOptions } from "./options";
import { readOutboxFields } from "./outbox-fields";
import { normalizeRowImage } from "./row-image";
import { normalizeSource, normalizeTransaction } from "./source";
import { CHANGE_OP_LABELS, type ChangeOp, type ChangeRecord, type ColumnSchema, type DecodeProblem, type Row, type RowImageNotes } from "./types";

/** io.debezium.data.Json: the logical type of PostgreSQL json/jsonb columns. */
export const JSON_COLUMN_SCHEMA_NAME = "io.debezium.data.Json";

const KNOWN_OPS: ReadonlySet<string> = new Set<ChangeOp>(["c", "u", "d", "r", "t"]);

/**
 * Splits a JsonConverter `{schema, payload}` wrapper (schemas.enable=true) from what it wraps.
 * A value is taken as wrapped when it has a `payload` and a `schema` object with a string `type`,
 * as every Kafka Connect schema has.
 */
export function unwrapSchema(parsed: unknown): { readonly payload: unknown; readonly schema: JsonObject | undefined } {
  if (isJsonObject(parsed) && Object.hasOwn(parsed, "payload") && isJsonObject(parsed.schema) && typeof parsed.schema.type === "string") {
    return { payload: parsed.payload, schema: parsed.schema };
  }
  return { payload: parsed, schema: undefined };
}

/**
 * Whether a (unwrapped) value is a Debezium change envelope: a string `op`, plus a `source` object
 * or a `before`/`after` field. Application JSON with an "op" field of its own has neither, and
 * stays plain JSON; an envelope with an op we do not know still counts (see `decodeEnvelope`).
 */
export function isDebeziumEnvelope(value: unknown): value is JsonObject {
  return (
    isJsonObject(value) &&
    typeof value.op === "string" &&
    (isJsonObject(value.source) || Object.hasOwn(value, "after") || Object.hasOwn(value, "before"))
  );
}

/** The fields of a ChangeRecord that come from the value (the rest are the record's). */
export type ChangeParts = Omit<ChangeRecord, "topic" | "partition" | "offset" | "timestamp" | "sizeBytes" | "valueSizeBytes" | "key" | "headers" | "truncated" | "preview" | "problems">;

/**
 * Decodes an envelope. An unknown `op` keeps the record a change (op "unknown", the raw op kept,
 * an "unknown-op" problem) rather than demoting it to plain JSON: its source block and timestamps
 * still feed the pipeline's latency and throughput, and the inspector still shows its rows.
 */
export function decodeEnvelope(
  envelope: JsonObject,
  schema: JsonObject | undefined,
  options: ResolvedDecodeOptions,
  truncated: boolean,
  problems: DecodeProblem[],
): ChangeParts {
  const rawOp = envelope.op as string;
  const op = KNOWN_OPS.has(rawOp) ? (rawOp as ChangeOp) : "unknown";
  if (op === "unknown") problems.push({ code: "unknown-op", detail: `unknown Debezium op ${JSON.stringify(rawOp.slice(0, 40))}` });

  const columnSchemas = schema ? readColumnSchemas(schema) : null;
  const jsonbColumns = columnSchemas ? withSchemaJsonColumns(options.jsonbColumns, columnSchemas) : options.jsonbColumns;
  const context = { jsonbColumns, unavailableValuePlaceholder: options.unavailableValuePlaceholder, truncated, problems };

  const before = rowImage(envelope.before, "before", problems);
  const after = rowImage(envelope.after, "after", problems);
  const beforeNotes: RowImageNotes | null = before ? normalizeRowImage(before, "before", context) : null;
  const afterNotes: RowImageNotes | null = after ? normalizeRowImage(after, "after", context) : null;

  const source = normalizeSource(envelope.source);
  if (source === null && envelope.source !== undefined && envelope.source !== null) {
    problems.push({ code: "invalid-source", detail: `source is ${describeJsonType(envelope.source)}, not an object` });
  }

  return {
    kind: "change",
    op,
    opLabel: CHANGE_OP_LABELS[op],
    rawOp,
    before,
    after,
    beforeNotes,
    afterNotes,
    source,
    tsMs: finiteNumber(envelope.ts_ms),
    tsUs: finiteNumber(envelope.ts_us),
    transaction: normalizeTransaction(envelope.transaction),
    schemaWrapped: schema !== undefined,
    columnSchemas,
    // A delete has only `before`; every other op reads the row as it is now.
    outbox: readOutboxFields(after ?? before, options.columns, columnSchemas),
  };
}

function rowImage(value: unknown, image: "before" | "after", problems: DecodeProblem[]): Row | null {
  if (value === undefined || value === null) return null;
  if (isJsonObject(value)) return value as Row;
  problems.push({ code: "invalid-image", detail: `${image} is ${describeJsonType(value)}, not an object; read as null` });
  return null;
}

/**
 * Column schemas from the envelope schema's `after` struct (or `before`: both describe the same
 * table). Null-prototype object, so a column named "__proto__" is an ordinary entry.
 */
export function readColumnSchemas(envelopeSchema: JsonObject): Record<string, ColumnSchema> | null {
  const fields = envelopeSchema.fields;
  if (!Array.isArray(fields)) return null;
  let rowStruct: JsonObject | undefined;
  for (const field of fields) {
    if (isJsonObject(field) && (field.field === "after" || field.field === "before") && Array.isArray(field.fields)) {
      rowStruct = field;
      if (field.field === "after") break;
    }
  }
  if (!rowStruct || !Array.isArray(rowStruct.fields)) return null;
  const columns = Object.create(null) as Record<string, ColumnSchema>;
  for (const column of rowStruct.fields) {
    if (!isJsonObject(column) || typeof column.field !== "string") continue;
    columns[column.field] = {
      type: typeof column.type === "string" ? column.type : "unknown",
      name: typeof column.name === "string" ? column.name : undefined,
      optional: column.optional === true,
    };
  }
  return columns;
}

function withSchemaJsonColumns(configured: ReadonlySet<string>, columnSchemas: Record<string, ColumnSchema>): ReadonlySet<string> {
  let merged: Set<string> | undefined;
  for (const column in columnSchemas) {
    if (columnSchemas[column]?.name === JSON_COLUMN_SCHEMA_NAME && !configured.has(column)) (merged ??= new Set(configured)).add(column);
  }
  return merged ?? configured;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function describeJsonType(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? "a string" : `a ${typeof value}`;
}
