import { createRequire } from "node:module";

/**
 * A faster decoder of one record of a Kafka record batch (v2), installed in place of KafkaJS's own
 * (`kafkajs/src/protocol/recordBatch/record/v0/decoder.js`, KafkaJS 2.2.4, its last release) before
 * KafkaJS loads it. KafkaJS's reads each record's timestamp delta as a 64-bit Long built byte by
 * byte from BigInts, and computes the offset and timestamp by parsing the batch's base values from
 * text, adding and printing them again, for every record: most of the CPU a fetch costs. This one
 * reads the varints as numbers and keeps the base values as numbers per batch, falling back to
 * KafkaJS's exact Long arithmetic whenever a value leaves the range numbers hold exactly (2^53).
 * The records it returns are field for field the same (unit-tested against KafkaJS's decoder).
 */

const requireFromHere = createRequire(import.meta.url);
const RECORD_DECODER = "kafkajs/src/protocol/recordBatch/record/v0/decoder.js";

interface KafkaDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarLong(): { toString(): string; toNumber(): number };
  readVarInt(): number;
  readVarIntBytes(): Buffer | null;
  readVarIntArray<T>(decode: (decoder: KafkaDecoder) => T): T[];
}

interface BatchContext {
  firstOffset?: string;
  firstTimestamp?: string;
  magicByte?: number;
  isControlBatch?: boolean;
  timestampType?: number;
  maxTimestamp?: string;
}

type LongClass = { fromValue(value: unknown): { add(other: unknown): { toString(): string } } };

const LOG_APPEND_TIME = 1;
/** Varints of up to 7 bytes (49 bits) are read as numbers; longer ones by KafkaJS. */
const MAX_NUMBER_VARINT_BYTES = 7;

/** Each batch's base offset and timestamp as numbers, computed once per batch. */
const bases = new WeakMap<BatchContext, { offset: number; timestamp: number }>();

/** A zigzag varlong as a number, or null (the decoder's position unchanged) when it is longer than 7 bytes. */
function readSmallVarLong(decoder: KafkaDecoder): number | null {
  const { buffer } = decoder;
  let position = decoder.offset;
  let result = 0;
  let multiplier = 1;
  for (let i = 0; i < MAX_NUMBER_VARINT_BYTES; i++) {
    const byte = buffer[position++]!;
    result += (byte & 0x7f) * multiplier;
    if (byte < 0x80) {
      decoder.offset = position;
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    multiplier *= 128;
  }
  return null;
}

function plus(base: number, baseText: string | undefined, delta: number, Long: LongClass): string {
  const sum = base + delta;
  return Number.isSafeInteger(base) && Number.isSafeInteger(sum) ? String(sum) : Long.fromValue(baseText).add(delta).toString();
}

export function createFastRecordDecoder(Long: LongClass, HeaderDecoder: (decoder: KafkaDecoder) => { key: string; value: Buffer | null }) {
  return (decoder: KafkaDecoder, batchContext: BatchContext = {}) => {
    const { firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp } = batchContext;
    let base = bases.get(batchContext);
    if (!base) {
      base = { offset: Number(firstOffset), timestamp: Number(firstTimestamp) };
      bases.set(batchContext, base);
    }
    const attributes = decoder.readInt8();
    const small = readSmallVarLong(decoder);
    let timestamp: string | undefined;
    if (timestampType === LOG_APPEND_TIME && maxTimestamp) {
      if (small === null) decoder.readVarLong();
      timestamp = maxTimestamp;
    } else if (small === null) {
      timestamp = Long.fromValue(firstTimestamp).add(decoder.readVarLong()).toString();
    } else {
      timestamp = plus(base.timestamp, firstTimestamp, small, Long);
    }
    const offsetDelta = decoder.readVarInt();
    const offset = plus(base.offset, firstOffset, offsetDelta, Long);
    const key = decoder.readVarIntBytes();
    const value = decoder.readVarIntBytes();
    const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
    for (const header of decoder.readVarIntArray(HeaderDecoder)) {
      const existing = headers[header.key];
      headers[header.key] = existing === undefined ? header.value : Array.isArray(existing) ? [...existing, header.value] : [existing, header.value];
    }
    return { magicByte, attributes, timestamp, offset, key, value, headers, isControlRecord: isControlBatch, batchContext };
  };
}

/**
 * Puts the fast decoder in KafkaJS's module cache. Must run before KafkaJS first decodes a fetch
 * (it loads its record decoder then); returns false, changing nothing, when that already happened.
 */
export function installFastRecordDecoder(): boolean {
  const path = requireFromHere.resolve(RECORD_DECODER);
  const batchDecoder = requireFromHere.resolve("kafkajs/src/protocol/recordBatch/v0/decoder.js");
  if (requireFromHere.cache[batchDecoder]) return requireFromHere.cache[path]?.exports?.fastRecordDecoder === true;
  const Long = requireFromHere("kafkajs/src/utils/long") as LongClass;
  const HeaderDecoder = requireFromHere("kafkajs/src/protocol/recordBatch/header/v0/decoder") as (decoder: KafkaDecoder) => { key: string; value: Buffer | null };
  const decode = Object.assign(createFastRecordDecoder(Long, HeaderDecoder), { fastRecordDecoder: true });
  // Loaded once so that its cache entry exists; the batch decoder, loaded later, then gets ours.
  requireFromHere(RECORD_DECODER);
  requireFromHere.cache[path]!.exports = decode;
  return true;
}
