import { describeError } from "@/lib/errors/describe-error";
import {
  MAX_HEX_PREVIEW_BYTES,
  canStartJson,
  decodeUtf8,
  decodeUtf8Prefix,
  firstSignificantByte,
  hexPreview,
  meantAsJson,
} from "./bytes";
import { decodeEnvelope, isDebeziumEnvelope, unwrapSchema, type ChangeParts } from "./envelope";
import { decodeHeaders } from "./headers";
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJson, type JsonValue } from "./json";
import { decodeKey, keyField } from "./key";
import { resolveDecodeOptions, type ResolvedDecodeOptions } from "./options";
import type {
  BinaryRecord,
  ChangeRecord,
  DecodeOptions,
  DecodeProblem,
  DecodedHeader,
  DecodedKey,
  DecodedRecord,
  JsonRecord,
  RawKafkaRecord,
  TextRecord,
} from "./types";

/** The fields every kind shares, filled in before the value is looked at. */
interface RecordFrame {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  readonly sizeBytes: number;
  readonly valueSizeBytes: number;
  readonly key: DecodedKey;
  readonly headers: readonly DecodedHeader[];
  readonly problems: DecodeProblem[];
}

export type RecordDecoder = (record: RawKafkaRecord) => DecodedRecord;

/**
 * A decoder with its options resolved once: what the live tail, which decodes thousands of
 * records a second, should hold on to.
 */
export function createRecordDecoder(options: DecodeOptions = {}): RecordDecoder {
  const resolved = resolveDecodeOptions(options);
  return (record) => decodeWith(record, resolved);
}

const decodeWithDefaults = createRecordDecoder();

/**
 * Decodes one Kafka record of a Debezium topic. Never throws: whatever does not decode becomes a
 * text or binary record, and every oddity a `problems` entry.
 *
 * Per value: at most one UTF-8 decode and one JSON.parse, plus one JSON.parse per jsonb column.
 * Values that cannot start JSON skip the parse.
 *
 * Values over `previewBytes` are `truncated` and carry a `preview` of their first previewBytes
 * (decoded on its own, so it does not pin the full text in memory):
 * - a change event is still parsed whole (up to `maxParseBytes`), because the metrics need its op,
 *   source and timestamps, which the JsonConverter writes after the row images; its rows are kept
 *   with every string over MAX_CELL_CHARS_WHEN_TRUNCATED replaced by an OmittedCell, so jsonb
 *   payloads that big are neither parsed a second time nor kept;
 * - other JSON is parsed once to tell JSON from text, and its value is not kept;
 * - text keeps its first previewBytes; only that part is checked for valid UTF-8;
 * - binary keeps a hex preview.
 * Values over `maxParseBytes` are not parsed: text (or binary) of the preview, with a
 * "too-large-to-parse" problem.
 */
export function decodeRecord(record: RawKafkaRecord, options?: DecodeOptions): DecodedRecord {
  return options === undefined ? decodeWithDefaults(record) : decodeWith(record, resolveDecodeOptions(options));
}

function decodeWith(record: RawKafkaRecord, options: ResolvedDecodeOptions): DecodedRecord {
  try {
    const problems: DecodeProblem[] = [];
    const key = decodeKey(record.key, options.previewBytes, problems);
    const headers = decodeHeaders(record.headers, options.previewBytes, problems);
    let headerBytes = 0;
    for (const header of headers) headerBytes += header.sizeBytes;
    const value = record.value ?? null;
    const valueSizeBytes = value === null ? 0 : value.byteLength;
    const frame: RecordFrame = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      timestamp: record.timestamp,
      sizeBytes: key.sizeBytes + valueSizeBytes + headerBytes,
      valueSizeBytes,
      key,
      headers,
      problems,
    };
    if (value === null) {
      return {
        kind: "tombstone",
        topic: frame.topic,
        partition: frame.partition,
        offset: frame.offset,
        timestamp: frame.timestamp,
        sizeBytes: frame.sizeBytes,
        valueSizeBytes: 0,
        key,
        headers,
        truncated: false,
        preview: undefined,
        problems,
        eventId: keyField(key, options.columns.eventId),
      };
    }
    return decodeValue(value, frame, options);
  } catch (error) {
    return decoderFault(record, options, error);
  }
}

function decodeValue(value: Uint8Array, frame: RecordFrame, options: ResolvedDecodeOptions): DecodedRecord {
  const { previewBytes } = options;
  const truncated = value.byteLength > previewBytes;
  const first = firstSignificantByte(value);
  if (!canStartJson(first)) return textOrBinary(value, frame, options);
  if (value.byteLength > options.maxParseBytes) {
    frame.problems.push({
      code: "too-large-to-parse",
      detail: `value of ${value.byteLength} bytes is over the ${options.maxParseBytes}-byte parse limit; only its start is shown`,
    });
    return textOrBinary(value, frame, options);
  }

  const text = decodeUtf8(value);
  if (text === undefined) return binary(value, frame, options);
  const parsed = parseJson(text);
  if (!parsed.ok) {
    if (parsed.tooDeep) frame.problems.push({ code: "json-too-deep", detail: "value nests too deep to parse; kept as text" });
    else if (meantAsJson(first)) frame.problems.push({ code: "invalid-json", detail: `value is not valid JSON: ${parsed.message}` });
    return textRecord(truncated ? previewOf(value, previewBytes) : text, truncated, frame);
  }

  const { payload, schema } = unwrapSchema(parsed.value);
  if (isDebeziumEnvelope(payload)) {
    const change = decodeEnvelope(payload, schema, options, truncated, frame.problems);
    return changeRecord(frame, change, truncated, truncated ? previewOf(value, previewBytes) : undefined);
  }

  if (truncated) {
    return jsonRecord(frame, undefined, true, previewOf(value, previewBytes));
  }
  if (nestsDeeperThan(parsed.value, MAX_JSON_DEPTH)) {
    frame.problems.push({ code: "json-too-deep", detail: `value nests deeper than ${MAX_JSON_DEPTH} levels; kept as text` });
    return textRecord(text, false, frame);
  }
  return jsonRecord(frame, parsed.value as JsonValue, false, undefined);
}

// The records below are built as explicit literals, one shape per kind. Spreading the frame and
// the envelope's fields into one ~25-property literal instead took V8 (Node 20) ~60 µs per
// record, twenty times the JSON.parse: the spread falls off its fast path at that size.

function changeRecord(frame: RecordFrame, change: ChangeParts, truncated: boolean, preview: string | undefined): ChangeRecord {
  return {
    kind: "change",
    topic: frame.topic,
    partition: frame.partition,
    offset: frame.offset,
    timestamp: frame.timestamp,
    sizeBytes: frame.sizeBytes,
    valueSizeBytes: frame.valueSizeBytes,
    key: frame.key,
    headers: frame.headers,
    truncated,
    preview,
    problems: frame.problems,
    op: change.op,
    opLabel: change.opLabel,
    rawOp: change.rawOp,
    before: change.before,
    after: change.after,
    beforeNotes: change.beforeNotes,
    afterNotes: change.afterNotes,
    source: change.source,
    tsMs: change.tsMs,
    tsUs: change.tsUs,
    transaction: change.transaction,
    schemaWrapped: change.schemaWrapped,
    columnSchemas: change.columnSchemas,
    outbox: change.outbox,
  };
}

function jsonRecord(frame: RecordFrame, value: JsonValue | undefined, truncated: boolean, preview: string | undefined): JsonRecord {
  return {
    kind: "json",
    topic: frame.topic,
    partition: frame.partition,
    offset: frame.offset,
    timestamp: frame.timestamp,
    sizeBytes: frame.sizeBytes,
    valueSizeBytes: frame.valueSizeBytes,
    key: frame.key,
    headers: frame.headers,
    truncated,
    preview,
    problems: frame.problems,
    value,
  };
}

/** The first previewBytes as a fresh string: a slice of the full text would keep all of it alive. */
function previewOf(value: Uint8Array, previewBytes: number): string {
  return decodeUtf8Prefix(value, previewBytes) ?? "";
}

/** Text when the first previewBytes are valid UTF-8, else binary. */
function textOrBinary(value: Uint8Array, frame: RecordFrame, options: ResolvedDecodeOptions): DecodedRecord {
  const text = decodeUtf8Prefix(value, options.previewBytes);
  if (text === undefined) return binary(value, frame, options);
  return textRecord(text, value.byteLength > options.previewBytes, frame);
}

function textRecord(text: string, truncated: boolean, frame: RecordFrame): TextRecord {
  return {
    kind: "text",
    topic: frame.topic,
    partition: frame.partition,
    offset: frame.offset,
    timestamp: frame.timestamp,
    sizeBytes: frame.sizeBytes,
    valueSizeBytes: frame.valueSizeBytes,
    key: frame.key,
    headers: frame.headers,
    truncated,
    preview: truncated ? text : undefined,
    problems: frame.problems,
    text,
  };
}

function binary(value: Uint8Array, frame: RecordFrame, options: ResolvedDecodeOptions): BinaryRecord {
  const shown = Math.min(value.byteLength, options.previewBytes, MAX_HEX_PREVIEW_BYTES);
  const hex = hexPreview(value, shown);
  const truncated = value.byteLength > shown;
  return {
    kind: "binary",
    topic: frame.topic,
    partition: frame.partition,
    offset: frame.offset,
    timestamp: frame.timestamp,
    sizeBytes: frame.sizeBytes,
    valueSizeBytes: frame.valueSizeBytes,
    key: frame.key,
    headers: frame.headers,
    truncated,
    preview: truncated ? hex : undefined,
    problems: frame.problems,
    hex,
  };
}

/**
 * The record of last resort when the decoder itself failed (a bug, or input outside the types):
 * the raw value as hex, so the record still shows up, and the fault as a problem.
 */
function decoderFault(record: RawKafkaRecord, options: ResolvedDecodeOptions, error: unknown): BinaryRecord {
  const value = record?.value instanceof Uint8Array ? record.value : null;
  const valueSizeBytes = value === null ? 0 : value.byteLength;
  const shown = Math.min(valueSizeBytes, options.previewBytes, MAX_HEX_PREVIEW_BYTES);
  const hex = value === null ? "" : hexPreview(value, shown);
  return {
    kind: "binary",
    topic: String(record?.topic ?? ""),
    partition: Number(record?.partition ?? -1),
    offset: String(record?.offset ?? ""),
    timestamp: Number(record?.timestamp ?? Number.NaN),
    sizeBytes: valueSizeBytes,
    valueSizeBytes,
    key: { kind: "null", sizeBytes: 0 },
    headers: [],
    truncated: valueSizeBytes > shown,
    preview: valueSizeBytes > shown ? hex : undefined,
    problems: [{ code: "decoder-error", detail: `the record could not be decoded: ${describeError(error)}` }],
    hex,
  };
}
