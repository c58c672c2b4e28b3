/**
 * The encoding of one record of a Kafka record batch (v2) as KafkaJS's record encoder
 * (`kafkajs/src/protocol/recordBatch/record/v0/index.js`, KafkaJS 2.2.4, its last release) writes
 * it, in two steps: measure, then write where the batch wants it (produce-request.ts writes every
 * record straight into the request's buffer). KafkaJS's builds every record from growing encoders:
 * a zero-filled 512-byte buffer per record and per header, each grown by copying, every varint a
 * Buffer of its own, and the timestamp delta a 64-bit Long built from BigInts; ~20 µs a record,
 * most of what a replay of 1 KB change events cost. The bytes are the same (unit-tested against
 * KafkaJS's encoder); records it does not know how to measure exactly (keys, values or headers
 * that are neither text nor bytes, a timestamp delta beyond 2^31) are left to KafkaJS's encoder.
 */

type Bytes = string | Buffer | null | undefined;
type HeaderValue = string | Buffer;

export interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: unknown;
  key?: Bytes;
  value?: Bytes;
  headers?: Record<string, HeaderValue | HeaderValue[]>;
}

/** The largest number a zigzag varint of 32 bits holds (KafkaJS's varints are 32-bit). */
const MAX_INT32 = 0x7fffffff;
const MIN_INT32 = -0x80000000;

function zigzag(value: number): number {
  // Unsigned, as KafkaJS's `(value << 1) ^ (value >> 31)` read with `>>>`.
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function sizeOfUnsignedVarint(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    bytes++;
    value >>>= 7;
  }
  return bytes;
}

function writeUnsignedVarint(buffer: Buffer, position: number, value: number): number {
  while (value >= 0x80) {
    buffer[position++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buffer[position++] = value;
  return position;
}

function isBytes(value: unknown): value is Bytes {
  return value == null || typeof value === "string" || Buffer.isBuffer(value);
}

/** The bytes of text (UTF-8) or bytes. */
export function byteLength(value: string | Buffer): number {
  return typeof value === "string" ? Buffer.byteLength(value, "utf8") : value.length;
}

/** Writes text or bytes; returns the next position. */
function writeBytes(buffer: Buffer, position: number, value: string | Buffer, length: number): number {
  if (typeof value === "string") buffer.write(value, position, length, "utf8");
  else value.copy(buffer, position);
  return position + length;
}

/** The headers as KafkaJS sends them (arrays become one header per value), or null when one is neither text nor bytes. */
function flatHeaders(headers: RecordInput["headers"]): [string, HeaderValue][] | null {
  const flat: [string, HeaderValue][] = [];
  if (headers == null) return flat;
  for (const key of Object.keys(headers)) {
    const value = headers[key]!;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== "string" && !Buffer.isBuffer(item)) return null;
      flat.push([key, item]);
    }
  }
  return flat;
}

/** A record measured for writing: its exact encoded size and what writing it needs. */
export interface MeasuredRecord {
  readonly size: number;
  readonly lengthPrefix: number;
  readonly timestamp: number;
  readonly offset: number;
  readonly key: Bytes;
  readonly keyLength: number;
  readonly value: Bytes;
  readonly valueLength: number;
  /** The record's headers as written: their count, then each key and value with its length. */
  readonly headers: Buffer;
}

/** The headers of a record without any: their count, zero. Shared: written, never changed. */
const NO_HEADERS = Buffer.from([0]);

/**
 * A record's headers, encoded: the same bytes for every record that shares the headers object,
 * written once per batch and copied into each record (a replay's three headers, encoded per
 * record, were ~5% of its CPU time).
 */
function encodeHeaders(headers: RecordInput["headers"]): Buffer | null {
  const list = flatHeaders(headers);
  if (list === null) return null;
  if (list.length === 0) return NO_HEADERS;
  let size = sizeOfUnsignedVarint(zigzag(list.length));
  const lengths: number[] = [];
  for (const [headerKey, headerValue] of list) {
    const keyBytes = Buffer.byteLength(headerKey, "utf8");
    const valueBytes = byteLength(headerValue);
    lengths.push(keyBytes, valueBytes);
    size += sizeOfUnsignedVarint(zigzag(keyBytes)) + keyBytes + sizeOfUnsignedVarint(zigzag(valueBytes)) + valueBytes;
  }
  const encoded = Buffer.allocUnsafe(size);
  let position = writeUnsignedVarint(encoded, 0, zigzag(list.length));
  list.forEach(([headerKey, headerValue], i) => {
    position = writeUnsignedVarint(encoded, position, zigzag(lengths[2 * i]!));
    position = writeBytes(encoded, position, headerKey, lengths[2 * i]!);
    position = writeUnsignedVarint(encoded, position, zigzag(lengths[2 * i + 1]!));
    position = writeBytes(encoded, position, headerValue, lengths[2 * i + 1]!);
  });
  return encoded;
}

/**
 * Headers encoded once per object for the records of one batch, which usually share one (a
 * replay's). Only for a batch measured at once: an object changed afterwards would not be seen.
 */
export type HeaderEncodings = Map<object, Buffer | null>;

function encodedOnce(headerEncodings: HeaderEncodings, headers: NonNullable<RecordInput["headers"]>): Buffer | null {
  let encoded = headerEncodings.get(headers);
  if (encoded === undefined) headerEncodings.set(headers, (encoded = encodeHeaders(headers)));
  return encoded;
}

/**
 * Measures a record for {@link writeRecord}; null for a record this encoder does not know how to
 * measure exactly (a key, value or header that is neither text nor bytes, a delta beyond 32 bits).
 */
export function measureRecord(record: RecordInput, headerEncodings?: HeaderEncodings): MeasuredRecord | null {
  const { offsetDelta = 0, timestampDelta = 0, key, value, headers } = record;
  const encodedHeaders = headers != null && headerEncodings ? encodedOnce(headerEncodings, headers) : encodeHeaders(headers);
  if (
    encodedHeaders === null ||
    !isBytes(key) ||
    !isBytes(value) ||
    typeof timestampDelta !== "number" ||
    !Number.isInteger(timestampDelta) ||
    timestampDelta < MIN_INT32 ||
    timestampDelta > MAX_INT32 ||
    !Number.isInteger(offsetDelta) ||
    offsetDelta < MIN_INT32 ||
    offsetDelta > MAX_INT32
  ) {
    return null;
  }
  const timestamp = zigzag(timestampDelta);
  const offset = zigzag(offsetDelta);
  const keyLength = key == null ? -1 : byteLength(key);
  const valueLength = value == null ? -1 : byteLength(value);
  let body = 1 + sizeOfUnsignedVarint(timestamp) + sizeOfUnsignedVarint(offset);
  body += sizeOfUnsignedVarint(zigzag(keyLength)) + Math.max(keyLength, 0);
  body += sizeOfUnsignedVarint(zigzag(valueLength)) + Math.max(valueLength, 0);
  body += encodedHeaders.length;
  const lengthPrefix = zigzag(body);
  return {
    size: sizeOfUnsignedVarint(lengthPrefix) + body,
    lengthPrefix,
    timestamp,
    offset,
    key,
    keyLength,
    value,
    valueLength,
    headers: encodedHeaders,
  };
}

/** Writes a measured record at `position` (the buffer has its `size` bytes there); returns the next position. */
export function writeRecord(buffer: Buffer, position: number, record: MeasuredRecord): number {
  const { key, value, keyLength, valueLength, headers } = record;
  position = writeUnsignedVarint(buffer, position, record.lengthPrefix);
  buffer[position++] = 0; // attributes: none used in a record
  position = writeUnsignedVarint(buffer, position, record.timestamp);
  position = writeUnsignedVarint(buffer, position, record.offset);
  position = writeUnsignedVarint(buffer, position, zigzag(keyLength));
  if (key != null) position = writeBytes(buffer, position, key, keyLength);
  position = writeUnsignedVarint(buffer, position, zigzag(valueLength));
  if (value != null) position = writeBytes(buffer, position, value, valueLength);
  return writeBytes(buffer, position, headers, headers.length);
}
