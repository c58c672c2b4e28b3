/**
 * Decoding of the records Debezium writes to Kafka: change envelopes (with or without the
 * JsonConverter's schema wrapper), tombstones, and whatever else lands on the topic. Pure and
 * isomorphic: the server decodes with it, the browser may too.
 */
export { createRecordDecoder, decodeRecord, type RecordDecoder } from "./decode";
export { changeHops, processedHops, type ChangeHops, type ProcessedHopInputs, type ProcessedHops } from "./latency";
export {
  DEFAULT_JSONB_COLUMNS,
  DEFAULT_MAX_PARSE_BYTES,
  DEFAULT_OUTBOX_COLUMNS,
  DEFAULT_PREVIEW_BYTES,
  MAX_CELL_CHARS_WHEN_TRUNCATED,
  UNAVAILABLE_VALUE_PLACEHOLDER,
} from "./options";
export { readOutboxFields } from "./outbox-fields";
export { rawRecordSizeBytes } from "./record-size";
export {
  EVENT_TYPE_SEARCH_BYTES,
  MAX_EVENT_TYPE_BYTES,
  createChangeHeaderScanner,
  scanChangeHeader,
  type ChangeHeader,
  type ChangeHeaderScanner,
} from "./scan";
export { UNAVAILABLE_CELL, isOmittedCell, isUnavailableCell } from "./row-image";
export { formatLsn } from "./source";
export { JSON_COLUMN_SCHEMA_NAME, isDebeziumEnvelope } from "./envelope";
export { keyField } from "./key";
export { MAX_HEX_PREVIEW_BYTES, hexPreview } from "./bytes";
export { MAX_JSON_DEPTH, type JsonObject, type JsonValue } from "./json";
export {
  MICROS_BELOW,
  MILLIS_BELOW,
  TEMPORAL_SCHEMA_NAMES,
  epochToMs,
  inferEpochUnit,
  parseIsoTimestampMs,
  temporalToEpochMs,
  type EpochUnit,
} from "./temporal";
export {
  CHANGE_OP_LABELS,
  type BinaryRecord,
  type CellValue,
  type ChangeOp,
  type ChangeOpLabel,
  type ChangeRecord,
  type ColumnSchema,
  type DecodeOptions,
  type DecodeProblem,
  type DecodeProblemCode,
  type DecodedHeader,
  type DecodedKey,
  type DecodedRecord,
  type DecodedRecordKind,
  type JsonRecord,
  type JsonbColumnNote,
  type OmittedCell,
  type OutboxColumnMapping,
  type OutboxFields,
  type RawHeaderValue,
  type RawKafkaRecord,
  type Row,
  type RowImageNotes,
  type SnapshotMarker,
  type SourceInfo,
  type TextRecord,
  type TombstoneRecord,
  type TransactionInfo,
  type UnavailableCell,
} from "./types";
