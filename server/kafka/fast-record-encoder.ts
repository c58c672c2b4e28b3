import { createRequire } from "node:module";

/**
 * A faster encoder of one record of a Kafka record batch (v2), installed in place of KafkaJS's own
 * (`kafkajs/src/protocol/recordBatch/record/v0/index.js`, KafkaJS 2.2.4, its last release) before
 * KafkaJS's produce request loads it. KafkaJS's builds every record from growing encoders: a
 * zero-filled 512-byte buffer per record and per header, each grown by copying, every varint a
 * Buffer of its own, and the timestamp delta a 64-bit Long built from BigInts; ~20 µs a record,
 * most of what a replay of 1 KB change events costs. This one measures the record first and writes
 * it into one buffer of its exact size. The bytes are the same (unit-tested against KafkaJS's
 * encoder); records it does not know how to measure exactly (keys, values or headers that are
 * neither text nor bytes, a timestamp delta beyond 2^31) are left to KafkaJS's encoder.
 */

const requireFromHere = createRequire(import.meta.url);
const RECORD_ENCODER = "kafkajs/src/protocol/recordBatch/record/v0/index.js";
const PRODUCE_REQUEST = "kafkajs/src/protocol/requests/produce/v3/request.js";

type Bytes = string | Buffer | null | undefined;
type HeaderValue = string | Buffer;

export interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: unknown;
  key?: Bytes;
  value?: Bytes;
  headers?: Record<string, HeaderValue | HeaderValue[]>;
}

/** What KafkaJS's batch encoder reads of an encoded record: `buf` (checked to be a Buffer) and `buffer`. */
interface EncodedRecord {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
}

type RecordEncoder = (record: RecordInput) => EncodedRecord;

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

function byteLength(value: string | Buffer): number {
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

export function createFastRecordEncoder(fallback: RecordEncoder, encoderPrototype: object): RecordEncoder {
  const encoded = (buffer: Buffer): EncodedRecord => {
    const record = Object.create(encoderPrototype) as EncodedRecord;
    record.buf = buffer;
    record.offset = buffer.length;
    return record;
  };

  return (record) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers } = record;
    const headerList = flatHeaders(headers);
    if (
      headerList === null ||
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
      return fallback(record);
    }
    const timestamp = zigzag(timestampDelta);
    const offset = zigzag(offsetDelta);
    const keyLength = key == null ? -1 : byteLength(key);
    const valueLength = value == null ? -1 : byteLength(value);
    let body = 1 + sizeOfUnsignedVarint(timestamp) + sizeOfUnsignedVarint(offset);
    body += sizeOfUnsignedVarint(zigzag(keyLength)) + Math.max(keyLength, 0);
    body += sizeOfUnsignedVarint(zigzag(valueLength)) + Math.max(valueLength, 0);
    body += sizeOfUnsignedVarint(zigzag(headerList.length));
    const headerLengths: number[] = [];
    for (const [headerKey, headerValue] of headerList) {
      const keyBytes = Buffer.byteLength(headerKey, "utf8");
      const valueBytes = byteLength(headerValue);
      headerLengths.push(keyBytes, valueBytes);
      body += sizeOfUnsignedVarint(zigzag(keyBytes)) + keyBytes + sizeOfUnsignedVarint(zigzag(valueBytes)) + valueBytes;
    }
    const lengthPrefix = zigzag(body);
    const buffer = Buffer.allocUnsafe(sizeOfUnsignedVarint(lengthPrefix) + body);
    let position = writeUnsignedVarint(buffer, 0, lengthPrefix);
    buffer[position++] = 0; // attributes: none used in a record
    position = writeUnsignedVarint(buffer, position, timestamp);
    position = writeUnsignedVarint(buffer, position, offset);
    position = writeUnsignedVarint(buffer, position, zigzag(keyLength));
    if (key != null) position = writeBytes(buffer, position, key, keyLength);
    position = writeUnsignedVarint(buffer, position, zigzag(valueLength));
    if (value != null) position = writeBytes(buffer, position, value, valueLength);
    position = writeUnsignedVarint(buffer, position, zigzag(headerList.length));
    for (let i = 0; i < headerList.length; i++) {
      const [headerKey, headerValue] = headerList[i]!;
      const keyBytes = headerLengths[2 * i]!;
      const valueBytes = headerLengths[2 * i + 1]!;
      position = writeUnsignedVarint(buffer, position, zigzag(keyBytes));
      position = writeBytes(buffer, position, headerKey, keyBytes);
      position = writeUnsignedVarint(buffer, position, zigzag(valueBytes));
      position = writeBytes(buffer, position, headerValue, valueBytes);
    }
    return encoded(buffer);
  };
}

/**
 * Puts the fast encoder in KafkaJS's module cache. Must run before KafkaJS loads its produce
 * request (on a producer's first send); returns false, changing nothing, when that already happened.
 */
export function installFastRecordEncoder(): boolean {
  const path = requireFromHere.resolve(RECORD_ENCODER);
  if (requireFromHere.cache[requireFromHere.resolve(PRODUCE_REQUEST)]) return requireFromHere.cache[path]?.exports?.fastRecordEncoder === true;
  const original = requireFromHere(RECORD_ENCODER) as RecordEncoder;
  const Encoder = requireFromHere("kafkajs/src/protocol/encoder") as { prototype: object };
  requireFromHere.cache[path]!.exports = Object.assign(createFastRecordEncoder(original, Encoder.prototype), { fastRecordEncoder: true });
  return true;
}
