/**
 * Encoders and decoders of the two requests lag polling makes every second: OffsetFetch (a group's
 * committed offsets) and ListOffsets (a topic's start and end offsets), for the versions KafkaJS
 * 2.2.4 negotiates (OffsetFetch v1–v4, ListOffsets v1–v3; Kafka 4 dropped only v0 of both).
 *
 * KafkaJS's own codecs cost ~10 µs of CPU per partition (bench:lag): they build every partition
 * of a request in a zero-filled buffer of its own, read every 64-bit offset as a BigInt and print
 * it as text, and build an object per partition that the caller parses back into a number. These
 * write a request into one buffer and read a response in place into typed arrays. Offsets are
 * numbers: exact up to 2^53, which no log reaches (a million records a second for 285 years).
 *
 * Pure functions of bytes, tested byte for byte against KafkaJS's codecs (offset-codecs.test.ts);
 * offset-requests.ts sends them.
 */

/** ListOffsets timestamps that ask for the end (high watermark or last stable offset) and the start of a partition. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

/** A partition's 64-bit values as numbers, in request order, with Kafka's error code per partition. */
export interface PartitionValues {
  partitions: Int32Array;
  /** The committed offset (OffsetFetch: -1 when none) or the offset found (ListOffsets). */
  offsets: Float64Array;
  errorCodes: Int16Array;
}

export interface ListOffsetsResult extends PartitionValues {
  /** The broker's throttle time (v2 and later; 0 for v1). */
  throttleTimeMs: number;
}

export interface OffsetFetchResult extends PartitionValues {
  /** The broker's throttle time (v3 and later; 0 before). */
  throttleTimeMs: number;
  /** The response's top-level error code (v2 and later; 0 for v1). */
  errorCode: number;
}

const TWO_TO_32 = 2 ** 32;

/** Writes big-endian values into a buffer grown by doubling. */
class Writer {
  buffer: Buffer;
  offset = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  #ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  int8(value: number): this {
    this.#ensure(1);
    this.offset = this.buffer.writeInt8(value, this.offset);
    return this;
  }

  int32(value: number): this {
    this.#ensure(4);
    this.offset = this.buffer.writeInt32BE(value, this.offset);
    return this;
  }

  /** An int64 from a safe integer, as two 32-bit halves (no BigInt). */
  int64(value: number): this {
    this.#ensure(8);
    const high = Math.floor(value / TWO_TO_32);
    this.buffer.writeInt32BE(high, this.offset);
    this.buffer.writeUInt32BE(value - high * TWO_TO_32, this.offset + 4);
    this.offset += 8;
    return this;
  }

  /** A Kafka STRING: int16 length, UTF-8 bytes. */
  string(value: string): this {
    const length = Buffer.byteLength(value, "utf8");
    this.#ensure(2 + length);
    this.offset = this.buffer.writeInt16BE(length, this.offset);
    this.offset += this.buffer.write(value, this.offset, "utf8");
    return this;
  }

  get bytes(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}

/** Reads big-endian values in place. Throws a RangeError (from Buffer) on a short buffer. */
class Reader {
  offset = 0;

  constructor(readonly buffer: Buffer) {}

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** An int64 as a number (exact up to 2^53). */
  int64(): number {
    const high = this.buffer.readInt32BE(this.offset);
    const low = this.buffer.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return high * TWO_TO_32 + low;
  }

  /** A STRING or NULLABLE_STRING (length -1: null). */
  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const end = this.offset + length;
    if (end > this.buffer.length) throw new RangeError(`string of ${length} bytes beyond the end of the response`);
    const value = this.buffer.toString("utf8", this.offset, end);
    this.offset = end;
    return value;
  }

  skip(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new RangeError(`${bytes} bytes beyond the end of the response`);
    this.offset += bytes;
  }
}

/** Request bytes for one topic: the capacity of the first buffer, enough for the name and every partition. */
function capacityFor(prefixBytes: number, topic: string, partitions: number, bytesPerPartition: number): number {
  return prefixBytes + 2 + Buffer.byteLength(topic, "utf8") + 4 + partitions * bytesPerPartition + 16;
}

/**
 * OffsetFetch v1–v4 request body: group_id, then one topic with its partitions. The layout is the
 * same in all four versions.
 */
export function encodeOffsetFetchRequest(groupId: string, topic: string, partitions: ArrayLike<number>): Buffer {
  const writer = new Writer(capacityFor(2 + Buffer.byteLength(groupId, "utf8") + 4, topic, partitions.length, 4));
  writer.string(groupId).int32(1).string(topic).int32(partitions.length);
  for (let i = 0; i < partitions.length; i++) writer.int32(partitions[i]!);
  return writer.bytes;
}

/** Reads one partition's entry into `values` at `index` (or skips it when `values` is null). */
type PartitionEntryReader = (reader: Reader, values: PartitionValues | null, index: number) => void;

/** A response's topics array: the entries of `topic` kept, the others read past. */
function readTopicPartitions(reader: Reader, topic: string, readEntry: PartitionEntryReader): PartitionValues {
  const topics = reader.int32();
  let result: PartitionValues = emptyValues(0);
  for (let t = 0; t < topics; t++) {
    const name = reader.string();
    const count = reader.int32();
    const values = name === topic ? emptyValues(count) : null;
    for (let i = 0; i < count; i++) readEntry(reader, values, i);
    if (values) result = values;
  }
  return result;
}

/** OffsetFetch partition entry: partition, committed offset, metadata, error code. */
const readOffsetFetchEntry: PartitionEntryReader = (reader, values, index) => {
  const partition = reader.int32();
  const offset = reader.int64();
  reader.string(); // metadata
  const errorCode = reader.int16();
  if (values) {
    values.partitions[index] = partition;
    values.offsets[index] = offset;
    values.errorCodes[index] = errorCode;
  }
};

/** ListOffsets partition entry: partition, error code, timestamp, offset. */
const readListOffsetsEntry: PartitionEntryReader = (reader, values, index) => {
  const partition = reader.int32();
  const errorCode = reader.int16();
  reader.skip(8); // timestamp
  const offset = reader.int64();
  if (values) {
    values.partitions[index] = partition;
    values.offsets[index] = offset;
    values.errorCodes[index] = errorCode;
  }
};

/**
 * An OffsetFetch v1–v4 response, the partitions of `topic` only (a broker answers for the topics
 * asked, so normally all of them). v3 and v4 start with throttle_time_ms; v2 and later end with
 * a top-level error code.
 */
export function decodeOffsetFetchResponse(version: number, raw: Buffer, topic: string): OffsetFetchResult {
  const reader = new Reader(raw);
  const throttleTimeMs = version >= 3 ? reader.int32() : 0;
  const result = readTopicPartitions(reader, topic, readOffsetFetchEntry);
  const errorCode = version >= 2 ? reader.int16() : 0;
  return { ...result, throttleTimeMs, errorCode };
}

/**
 * ListOffsets v1–v3 request body for one topic, every partition asked for the same `timestamp`
 * (LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, or a time). v2 and later carry the isolation level.
 */
export function encodeListOffsetsRequest(version: number, isolationLevel: number, topic: string, partitions: ArrayLike<number>, timestamp: number): Buffer {
  const writer = new Writer(capacityFor(5, topic, partitions.length, 12));
  writer.int32(-1); // replica_id: a client, not a follower
  if (version >= 2) writer.int8(isolationLevel);
  writer.int32(1).string(topic).int32(partitions.length);
  for (let i = 0; i < partitions.length; i++) writer.int32(partitions[i]!).int64(timestamp);
  return writer.bytes;
}

/** A ListOffsets v1–v3 response, the partitions of `topic` only. v2 and later start with throttle_time_ms. */
export function decodeListOffsetsResponse(version: number, raw: Buffer, topic: string): ListOffsetsResult {
  const reader = new Reader(raw);
  const throttleTimeMs = version >= 2 ? reader.int32() : 0;
  return { ...readTopicPartitions(reader, topic, readListOffsetsEntry), throttleTimeMs };
}

function emptyValues(count: number): PartitionValues {
  return { partitions: new Int32Array(count), offsets: new Float64Array(count), errorCodes: new Int16Array(count) };
}
