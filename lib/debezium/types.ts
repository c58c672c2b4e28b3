import type { JsonValue } from "./json";

/** A header value as Kafka clients hand it over: bytes (a Buffer on the server), text, or none. */
export type RawHeaderValue = Uint8Array | string | undefined;

/** One Kafka record, undecoded. The server's Buffers are Uint8Arrays and fit as they are. */
export interface RawKafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Epoch ms: the producer's CreateTime (the Connect worker's clock) unless the topic uses LogAppendTime. */
  readonly timestamp: number;
  readonly key: Uint8Array | null;
  /** Null for a tombstone; an empty array is a (0-byte) value, not a tombstone. */
  readonly value: Uint8Array | null;
  /** A repeated header key arrives as an array. */
  readonly headers?: Readonly<Record<string, RawHeaderValue | readonly (Uint8Array | string)[]>>;
}

/** Which columns of the outbox row the metrics and the trace read. Real users' tables differ. */
export interface OutboxColumnMapping {
  readonly eventId: string;
  readonly createdAt: string;
  readonly processedAt: string;
  readonly status: string;
  readonly eventType: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
}

export interface DecodeOptions {
  /**
   * How much of a value, in bytes, a decoded record keeps for display (default 64 KiB). Larger
   * values are marked `truncated` and keep a `preview` of this many bytes; see `decodeRecord`.
   */
  readonly previewBytes?: number;
  /**
   * Values above this many bytes (default 8 MiB) are not parsed at all: only the preview is
   * decoded, as text, with a "too-large-to-parse" problem. Parsing a value that big would stall
   * the live tail for tens of milliseconds.
   */
  readonly maxParseBytes?: number;
  /**
   * Columns that hold JSON sent as a JSON string (PostgreSQL jsonb/json), parsed once more
   * (default ["payload"]). With schemas.enable=true, columns whose schema is io.debezium.data.Json
   * are parsed too.
   */
  readonly jsonbColumns?: readonly string[];
  /** Outbox column names; unspecified ones keep their defaults (event_id, created_at, …). */
  readonly columns?: Partial<OutboxColumnMapping>;
  /** The connector's `unavailable.value.placeholder` (default "__debezium_unavailable_value"). */
  readonly unavailableValuePlaceholder?: string;
}

/** Debezium's operations: create, update, delete, read (snapshot), truncate. */
export type ChangeOp = "c" | "u" | "d" | "r" | "t";

export const CHANGE_OP_LABELS = {
  c: "create",
  u: "update",
  d: "delete",
  r: "snapshot read",
  t: "truncate",
  unknown: "unknown",
} as const;

export type ChangeOpLabel = (typeof CHANGE_OP_LABELS)[keyof typeof CHANGE_OP_LABELS];

export type DecodeProblemCode =
  /** Started like JSON (`{`, `[` or `"`) but did not parse: the value is kept as text. */
  | "invalid-json"
  /** Nested deeper than MAX_JSON_DEPTH (or than the engine's parser allows): kept as text. */
  | "json-too-deep"
  /** Over `maxParseBytes`: only the preview was decoded, as text. */
  | "too-large-to-parse"
  /** An envelope whose `op` is none of c, u, d, r, t. */
  | "unknown-op"
  /** `before`/`after` present but neither an object nor null: read as null. */
  | "invalid-image"
  /** `source` present but not an object: read as null. */
  | "invalid-source"
  /** A jsonb column whose text is not JSON: kept as the string. */
  | "invalid-jsonb"
  /** A header value of a type no Kafka client produces: read as a null header. */
  | "invalid-header"
  /** A fault of the decoder itself, caught so that decoding never throws. */
  | "decoder-error";

export interface DecodeProblem {
  readonly code: DecodeProblemCode;
  /** One operator-readable sentence. */
  readonly detail: string;
}

/** The record key: Debezium sends the row's primary key, `{"event_id":"…"}`. */
export type DecodedKey =
  | { readonly kind: "null"; readonly sizeBytes: 0 }
  /** Parsed JSON; a `{schema, payload}` key (schemas.enable=true) is unwrapped to its payload. */
  | { readonly kind: "json"; readonly value: JsonValue; readonly schemaWrapped: boolean; readonly sizeBytes: number }
  | { readonly kind: "text"; readonly text: string; readonly truncated: boolean; readonly sizeBytes: number }
  | { readonly kind: "binary"; readonly hex: string; readonly truncated: boolean; readonly sizeBytes: number };

/** One header. `sizeBytes` counts its key and its value. */
export type DecodedHeader =
  | { readonly key: string; readonly kind: "text"; readonly text: string; readonly truncated: boolean; readonly sizeBytes: number }
  | { readonly key: string; readonly kind: "binary"; readonly hex: string; readonly truncated: boolean; readonly sizeBytes: number }
  | { readonly key: string; readonly kind: "null"; readonly sizeBytes: number };

/**
 * Stands in for a column Debezium could not read: an unchanged TOASTed value, which PostgreSQL
 * does not write to the WAL, arrives as the placeholder string. One shared frozen instance.
 */
export interface UnavailableCell {
  readonly unavailable: true;
}

/**
 * Stands in for a cell not kept: a string too long to keep in a truncated record, or a value
 * nested too deep to send on (see MAX_JSON_DEPTH).
 */
export type OmittedCell =
  | { readonly omitted: "too-long"; readonly textLength: number }
  | { readonly omitted: "too-deep" };

/**
 * A cell of a row image. Markers are plain objects so the record crosses the socket as JSON; a
 * jsonb column may hold `{"unavailable": true}` as data, so tell markers apart with the image's
 * notes (`unavailableColumns`, `omittedColumns`), or `isUnavailableCell` before the record leaves
 * the process.
 */
export type CellValue = JsonValue | UnavailableCell | OmittedCell;

/** A row image (`before` or `after`), column name → value, jsonb columns parsed. */
export type Row = Record<string, CellValue>;

export interface JsonbColumnNote {
  readonly column: string;
  /** Length of the JSON text as received (JavaScript string length, UTF-16 code units). */
  readonly textLength: number;
  /**
   * parsed: the cell holds the parsed value. invalid: not JSON; the cell keeps the string.
   * too-deep: nested deeper than MAX_JSON_DEPTH; the cell keeps the string. omitted: the record
   * is truncated and the text too long to keep; the cell holds an OmittedCell.
   */
  readonly status: "parsed" | "invalid" | "too-deep" | "omitted";
}

/** What the decoder did to one row image. The lists are empty, never absent. */
export interface RowImageNotes {
  /** Columns that arrived as the unavailable-value placeholder (unchanged TOAST) and hold an UnavailableCell. */
  readonly unavailableColumns: readonly string[];
  /** Each jsonb column that arrived as a string. */
  readonly jsonbColumns: readonly JsonbColumnNote[];
  /** Columns holding an OmittedCell. */
  readonly omittedColumns: readonly string[];
}

/** Debezium's `snapshot` source field: "false" while streaming; booleans from old versions become strings. */
export type SnapshotMarker =
  | "true"
  | "false"
  | "first"
  | "last"
  | "first_in_data_collection"
  | "last_in_data_collection"
  | "incremental"
  | (string & {});

/** The envelope's `source` block, the PostgreSQL connector's fields; absent fields are undefined. */
export interface SourceInfo {
  readonly connector: string | undefined;
  /** The connector's topic prefix (logical server name). */
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly db: string | undefined;
  readonly schema: string | undefined;
  readonly table: string | undefined;
  /** WAL position of the change, as a number (see `formatLsn`). */
  readonly lsn: number | undefined;
  readonly txId: number | undefined;
  /** When the change was committed in the database (for snapshot reads: when the row was read). */
  readonly tsMs: number | undefined;
  readonly tsUs: number | undefined;
  /** Debezium's `sequence`: a JSON text of [last committed LSN, LSN], as strings. */
  readonly sequence: string | undefined;
  readonly snapshot: SnapshotMarker | undefined;
  /** True for every snapshot marker but "false": the row was read by a snapshot, not streamed. */
  readonly isSnapshot: boolean;
}

/** The envelope's `transaction` block (only with provide.transaction.metadata=true). */
export interface TransactionInfo {
  readonly id: string;
  readonly totalOrder: number | undefined;
  readonly dataCollectionOrder: number | undefined;
}

/** A column's schema as carried by schemas.enable=true. */
export interface ColumnSchema {
  /** Kafka Connect type: string, int64, int32, boolean, struct, … */
  readonly type: string;
  /** Logical type, e.g. io.debezium.time.ZonedTimestamp or io.debezium.data.Json. */
  readonly name: string | undefined;
  readonly optional: boolean;
}

/**
 * The outbox row's fields the metrics and the trace read, from `after` (or `before` when there is
 * no `after`, as for deletes), through the column mapping. Undefined when the column is absent,
 * null, unavailable, or of the wrong type.
 */
export interface OutboxFields {
  /** A string, or a number column as its decimal text. */
  readonly eventId: string | undefined;
  readonly createdAtMs: number | undefined;
  readonly processedAtMs: number | undefined;
  readonly status: string | undefined;
  readonly eventType: string | undefined;
  readonly aggregateType: string | undefined;
  /** A string, or a number column as its decimal text. */
  readonly aggregateId: string | undefined;
}

interface DecodedRecordBase {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Kafka record timestamp, epoch ms. */
  readonly timestamp: number;
  /** Key + value + headers (keys and values), in bytes: the payload, not the wire overhead. */
  readonly sizeBytes: number;
  /** 0 for a tombstone. */
  readonly valueSizeBytes: number;
  readonly key: DecodedKey;
  readonly headers: readonly DecodedHeader[];
  /** Whether the record keeps less than the whole value (see `preview`). */
  readonly truncated: boolean;
  /** When truncated: the start of the value as text (hex for binary values). */
  readonly preview: string | undefined;
  /** Everything that did not decode cleanly. Empty for a clean record. */
  readonly problems: readonly DecodeProblem[];
}

/** A Debezium change event. */
export interface ChangeRecord extends DecodedRecordBase {
  readonly kind: "change";
  /** "unknown" for an op Debezium may add later (or "m", a logical decoding message): see `rawOp`. */
  readonly op: ChangeOp | "unknown";
  readonly opLabel: ChangeOpLabel;
  /** The `op` string as received. */
  readonly rawOp: string;
  readonly before: Row | null;
  readonly after: Row | null;
  /** Null exactly when `before` is null. */
  readonly beforeNotes: RowImageNotes | null;
  /** Null exactly when `after` is null. */
  readonly afterNotes: RowImageNotes | null;
  /** Null when the envelope has no source block. */
  readonly source: SourceInfo | null;
  /** Envelope `ts_ms`: when Debezium processed the change. */
  readonly tsMs: number | undefined;
  readonly tsUs: number | undefined;
  readonly transaction: TransactionInfo | null;
  /** Whether the value came wrapped in `{schema, payload}` (schemas.enable=true). */
  readonly schemaWrapped: boolean;
  /** The row's column schemas, when the value carried a schema. */
  readonly columnSchemas: Readonly<Record<string, ColumnSchema>> | null;
  readonly outbox: OutboxFields;
}

/** The null value Debezium writes after a delete so that log compaction can drop the key. */
export interface TombstoneRecord extends DecodedRecordBase {
  readonly kind: "tombstone";
  /** The deleted row's event id, from the key. */
  readonly eventId: string | undefined;
}

/** Valid JSON that is not a Debezium envelope. */
export interface JsonRecord extends DecodedRecordBase {
  readonly kind: "json";
  /** The parsed value; undefined when truncated (decode again with a larger previewBytes). */
  readonly value: JsonValue | undefined;
}

/** Valid UTF-8 that is not JSON (or not parsed: see `problems`). */
export interface TextRecord extends DecodedRecordBase {
  readonly kind: "text";
  /** The text, cut to previewBytes when truncated. */
  readonly text: string;
}

/** Not valid UTF-8. */
export interface BinaryRecord extends DecodedRecordBase {
  readonly kind: "binary";
  /** Hex of the first bytes (at most previewBytes and MAX_HEX_PREVIEW_BYTES). */
  readonly hex: string;
}

export type DecodedRecord = ChangeRecord | TombstoneRecord | JsonRecord | TextRecord | BinaryRecord;
export type DecodedRecordKind = DecodedRecord["kind"];
