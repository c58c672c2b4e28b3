import { createRequire } from "node:module";

/**
 * A faster decoder of a fetched partition's record batches (Kafka's v2 format), installed in place
 * of KafkaJS's own (`kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js`, which every Fetch
 * response from v4 on uses; KafkaJS 2.2.4, its last release) before KafkaJS loads it. For each
 * record KafkaJS slices the record, wraps it in a Decoder object, reads its timestamp delta as a
 * 64-bit Long built byte by byte, and computes the offset and timestamp by parsing the batch's base
 * values from text, adding and printing them again; each batch is awaited on its own and its
 * records spread into the result. Most of a fetch's CPU went there.
 *
 * This one walks the batches and their records in one loop over the response's bytes: varints read
 * as numbers, the base offset and timestamp kept as numbers per batch, falling back to exact BigInt
 * arithmetic whenever a value leaves the range numbers hold exactly (2^53). Keys and values are
 * views of the response, as KafkaJS's are. The records are field for field KafkaJS's (unit-tested
 * against its decoder, compressed batches, control batches and cut-off batches included); a legacy
 * message set (magic 0 or 1) still goes to KafkaJS's decoder.
 */

const requireFromHere = createRequire(import.meta.url);
const DECODE_MESSAGES = "kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js";

interface KafkaDecoder {
  buffer: Buffer;
  offset: number;
  readInt32(): number;
  canReadBytes(length: number): boolean;
  readBytes(length: number): Buffer;
}
type DecoderClass = new (buffer: Buffer) => KafkaDecoder;
interface Codec {
  decompress(buffer: Buffer): Promise<Buffer>;
}
type CodecLookup = (attributes: number) => Codec | null;
type MessageSetDecoder = (decoder: KafkaDecoder, size: number) => Promise<unknown[]>;

/** What KafkaJS hands to each record as `batchContext`. */
interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

interface DecodedKafkaRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

const RECORD_BATCH_MAGIC = 2;
/** Where the magic byte sits in a batch (and in a legacy message): after offset, length and 4 more bytes. */
const MAGIC_OFFSET = 16;
/** A batch's header up to its record count: fewer bytes left than this is a cut-off batch. */
const RECORD_BATCH_OVERHEAD = 49;
/** Bytes from a batch's start to its first record (the header, then the int32 record count). */
const RECORDS_START = 61;
const TIMESTAMP_TYPE_FLAG = 0x08;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
const LOG_APPEND_TIME = 1;
/** Varlongs of up to 7 bytes (49 bits) are read as numbers; longer ones as BigInts. */
const MAX_NUMBER_VARINT_BYTES = 7;

/** Reads varints from a buffer at `at`, leaving the position after them in `at`. */
class Cursor {
  constructor(
    readonly buffer: Buffer,
    public at: number,
  ) {}

  /** A zigzag varint of up to 32 bits, as KafkaJS's readVarInt reads it. */
  varInt(): number {
    const buffer = this.buffer;
    let at = this.at;
    let byte = buffer[at++]!;
    let result = byte & 0x7f;
    let shift = 7;
    while (byte >= 0x80) {
      byte = buffer[at++]!;
      result += (byte & 0x7f) << shift;
      shift += 7;
    }
    this.at = at;
    return (result >>> 1) ^ -(result & 1);
  }

  /** A zigzag varlong: a number when it has at most 7 bytes, else a BigInt. */
  varLong(): number | bigint {
    const buffer = this.buffer;
    const start = this.at;
    let at = start;
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < MAX_NUMBER_VARINT_BYTES; i++) {
      const byte = buffer[at++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        this.at = at;
        return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      }
      multiplier *= 128;
    }
    let big = 0n;
    let shift = 0n;
    at = start;
    for (;;) {
      const byte = buffer[at++]!;
      big |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (byte < 0x80) break;
    }
    this.at = at;
    return BigInt.asIntN(64, (big >> 1n) ^ -(big & 1n));
  }

  /** Bytes with a varint length (-1: null), as a view of the buffer. */
  bytes(): Buffer | null {
    const length = this.varInt();
    if (length === -1) return null;
    const start = this.at;
    this.at = start + length;
    return this.buffer.subarray(start, start + length);
  }
}

/** base + delta as decimal text, exactly: numbers while they are safe integers, BigInt beyond. */
function plus(base: number, baseText: string, delta: number | bigint): string {
  if (typeof delta === "number") {
    const sum = base + delta;
    if (Number.isSafeInteger(base) && Number.isSafeInteger(sum)) return String(sum);
  }
  return BigInt.asIntN(64, BigInt(baseText) + BigInt(delta)).toString();
}

function decodeRecords(cursor: Cursor, count: number, end: number, context: BatchContext, into: DecodedKafkaRecord[]): void {
  const { firstOffset, firstTimestamp, magicByte, isControlBatch, timestampType, maxTimestamp } = context;
  // The batch's bases as numbers, once per batch (exact below 2^53; `plus` falls back beyond).
  const baseOffset = Number(firstOffset);
  const baseTimestamp = Number(firstTimestamp);
  const appendTime = timestampType === LOG_APPEND_TIME;
  const buffer = cursor.buffer;
  for (let i = 0; i < count; i++) {
    const length = cursor.varInt();
    const recordEnd = cursor.at + length;
    if (length < 0 || recordEnd > end) throw new Error(`a record of ${length} bytes runs past its batch`);
    const attributes = buffer.readInt8(cursor.at);
    cursor.at += 1;
    const timestampDelta = cursor.varLong();
    const timestamp = appendTime ? maxTimestamp : plus(baseTimestamp, firstTimestamp, timestampDelta);
    const offset = plus(baseOffset, firstOffset, cursor.varInt());
    const key = cursor.bytes();
    const value = cursor.bytes();
    const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
    const headerCount = cursor.varInt();
    for (let h = 0; h < headerCount; h++) {
      const nameLength = cursor.varInt();
      const name = nameLength === -1 ? "null" : buffer.toString("utf8", cursor.at, cursor.at + nameLength);
      if (nameLength > 0) cursor.at += nameLength;
      const headerValue = cursor.bytes();
      const existing = headers[name];
      headers[name] = existing === undefined ? headerValue : Array.isArray(existing) ? [...existing, headerValue] : [existing, headerValue];
    }
    into.push({ magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord: isControlBatch, batchContext: context });
    cursor.at = recordEnd;
  }
}

function int64Text(buffer: Buffer, at: number): string {
  return buffer.readBigInt64BE(at).toString();
}

/** One partition's record set: `size` bytes of record batches from `start`, decoded into `into`. Stops at a cut-off batch, as KafkaJS does. */
async function decodeRecordBatches(buffer: Buffer, start: number, size: number, lookupCodec: CodecLookup, into: DecodedKafkaRecord[]): Promise<void> {
  const end = start + size;
  let at = start;
  while (end - at >= RECORD_BATCH_OVERHEAD) {
    const firstOffset = int64Text(buffer, at);
    const length = buffer.readInt32BE(at + 8);
    const batchEnd = at + 12 + length;
    // The last batch of a response may be cut off at the fetch's size limit.
    if (batchEnd > end || length < RECORDS_START - 12) break;
    const attributes = buffer.readInt16BE(at + 21);
    const context: BatchContext = {
      firstOffset,
      firstTimestamp: int64Text(buffer, at + 27),
      partitionLeaderEpoch: buffer.readInt32BE(at + 12),
      inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
      isControlBatch: (attributes & CONTROL_FLAG) > 0,
      lastOffsetDelta: buffer.readInt32BE(at + 23),
      producerId: int64Text(buffer, at + 43),
      producerEpoch: buffer.readInt16BE(at + 51),
      firstSequence: buffer.readInt32BE(at + 53),
      maxTimestamp: int64Text(buffer, at + 35),
      timestampType: (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? LOG_APPEND_TIME : 0,
      magicByte: buffer.readInt8(at + MAGIC_OFFSET),
    };
    const count = buffer.readInt32BE(at + 57);
    const codec = lookupCodec(attributes);
    if (!codec) {
      decodeRecords(new Cursor(buffer, at + RECORDS_START), count, batchEnd, context, into);
    } else if (count > 0) {
      const records = await codec.decompress(buffer.subarray(at + RECORDS_START, batchEnd));
      decodeRecords(new Cursor(records, 0), count, records.length, context, into);
    }
    at = batchEnd;
  }
}

export function createDecodeMessages(Decoder: DecoderClass, lookupCodec: CodecLookup, decodeMessageSet: MessageSetDecoder) {
  return async (decoder: KafkaDecoder): Promise<unknown[]> => {
    const size = decoder.readInt32();
    if (size <= 0 || !decoder.canReadBytes(size)) return [];
    const start = decoder.offset;
    const messages = decoder.readBytes(size);
    // Too short to hold a magic byte: the cut-off start of a batch, nothing whole in it.
    if (messages.length <= MAGIC_OFFSET) return [];
    if (messages.readInt8(MAGIC_OFFSET) === RECORD_BATCH_MAGIC) {
      const records: DecodedKafkaRecord[] = [];
      await decodeRecordBatches(decoder.buffer, start, size, lookupCodec, records);
      return records;
    }
    return decodeMessageSet(new Decoder(messages), size);
  };
}

/** Whether the Fetch responses of this process's KafkaJS are decoded by the fast decoder. */
export function fastRecordDecoderInstalled(): boolean {
  return requireFromHere.cache[requireFromHere.resolve(DECODE_MESSAGES)]?.exports?.fastRecordDecoder === true;
}

/**
 * Puts the fast decoder in KafkaJS's module cache. Must run before KafkaJS first decodes a fetch
 * (it loads its Fetch response decoders then); returns false, changing nothing, when that already happened.
 */
export function installFastRecordDecoder(): boolean {
  const path = requireFromHere.resolve(DECODE_MESSAGES);
  if (requireFromHere.cache[path]) return fastRecordDecoderInstalled();
  const Decoder = requireFromHere("kafkajs/src/protocol/decoder") as DecoderClass;
  const { lookupCodecByAttributes } = requireFromHere("kafkajs/src/protocol/message/compression") as { lookupCodecByAttributes: CodecLookup };
  const decodeMessageSet = requireFromHere("kafkajs/src/protocol/messageSet/decoder") as MessageSetDecoder;
  const decode = Object.assign(createDecodeMessages(Decoder, lookupCodecByAttributes, decodeMessageSet), { fastRecordDecoder: true });
  // Loaded once so that its cache entry exists; the Fetch response decoders, loaded later, then get ours.
  requireFromHere(DECODE_MESSAGES);
  requireFromHere.cache[path]!.exports = decode;
  return true;
}
