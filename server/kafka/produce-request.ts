import { createRequire } from "node:module";
import { measureRecord, type HeaderEncodings, type RecordInput } from "./fast-record-encoder";
import { prepareRecordBatch, type BatchRecord, type PreparedRecordBatch } from "./record-batch-encoder";

/**
 * KafkaJS's produce request (v3, which v4–v7 reuse; KafkaJS 2.2.4, its last release) written into
 * one buffer of its exact size, installed in KafkaJS's module cache before a producer first sends.
 * - Records are measured, then written with their batches straight into the request's buffer
 *   (record-batch-encoder.ts: exact size, native CRC32C). KafkaJS's builds a buffer per record,
 *   per batch, per partition and per topic, each grown by doubling and copied into the next.
 * - Compressed batches are compressed concurrently: gzip waits for zlib on Node's thread pool, and
 *   KafkaJS's awaits one partition after the other, the other core idle.
 * - The buffer has room in front for the request's framing (size, API key and version,
 *   correlation id, client id), which KafkaJS's request framing (`protocol/request.js`) writes
 *   there instead of copying the payload twice more into new zero-filled buffers (see
 *   {@link installFramingInPlace}).
 * Fresh multi-megabyte buffers, not the copying itself, were the cost: each is zero-filled or
 * faulted in page by page, ~1.5–2.5 ms for 4 MB here, against 0.05 ms to copy 2.8 MB into memory
 * already in use. A 2,000-record replay (2 MB uncompressed) spent ~11 ms per request copying into
 * fresh buffers (bench:outbox profile).
 * The bytes on the wire are KafkaJS's own (unit-tested against its modules).
 */

const requireFromHere = createRequire(import.meta.url);
const PRODUCE_REQUEST = "kafkajs/src/protocol/requests/produce/v3/request.js";

interface EncoderLike {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
  size(): number;
}

interface Message {
  timestamp?: number | string | null;
  [field: string]: unknown;
}
interface PartitionData {
  partition: number;
  firstSequence?: number;
  messages: Message[];
}
interface TopicData {
  topic: string;
  partitions: PartitionData[];
}
export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: TopicData[];
}
export interface ProduceRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  expectResponse: () => boolean;
  encode: () => Promise<EncoderLike>;
}

/** A KafkaJS string: int16 byte length (-1 for null), then UTF-8. */
function stringBytes(value: string | null): number {
  return 2 + (value == null ? 0 : Buffer.byteLength(value, "utf8"));
}

function writeString(buffer: Buffer, position: number, value: string | null): number {
  if (value == null) return buffer.writeInt16BE(-1, position);
  const length = Buffer.byteLength(value, "utf8");
  position = buffer.writeInt16BE(length, position);
  return position + buffer.write(value, position, length, "utf8");
}

/**
 * Bytes kept free in front of a request's buffer for KafkaJS's framing: size (4), API key and
 * version (4), correlation id (4) and the client id (2 + its length; ours are a few dozen bytes).
 * A longer client id only means the framing is copied as KafkaJS does it.
 */
const FRAMING_ROOM = 256;
/** On an encoder whose buffer has free bytes in front of it (in the same memory): how many. */
const ROOM_IN_FRONT = Symbol("outbox-lens.roomInFront");

interface Framed {
  [ROOM_IN_FRONT]?: number;
}

/** A buffer of `size` bytes with {@link FRAMING_ROOM} free bytes in front of it. */
function withFramingRoom(size: number): Buffer {
  return Buffer.allocUnsafe(FRAMING_ROOM + size).subarray(FRAMING_ROOM);
}

function framed(encoder: EncoderLike): EncoderLike {
  (encoder as EncoderLike & Framed)[ROOM_IN_FRONT] = FRAMING_ROOM;
  return encoder;
}

/**
 * KafkaJS's request framing (`protocol/request.js`, bound when KafkaJS loads, so it cannot be
 * swapped like the produce request) writes the header into a new encoder, then copies the payload
 * after it with `writeEncoder`, then does the same again behind the size. Each copy goes into a new
 * zero-filled buffer the next power of two in size. This teaches `writeEncoder` one case: when the
 * payload has room in front of it (only a produce request's does) and the encoder holds no more
 * than that room, the encoder's bytes are written into the room and the encoder takes the
 * payload's memory. Every other call is KafkaJS's own. Idempotent.
 */
export function installFramingInPlace(): void {
  const Encoder = requireFromHere("kafkajs/src/protocol/encoder") as { prototype: { writeEncoder(value: unknown): unknown } & Framed };
  const prototype = Encoder.prototype as { writeEncoder: ((value: unknown) => unknown) & { framingInPlace?: true } };
  if (prototype.writeEncoder.framingInPlace) return;
  const original = prototype.writeEncoder;
  const writeEncoder = function (this: EncoderLike & Framed, value: unknown): unknown {
    const payload = value as (EncoderLike & Framed) | null | undefined;
    const room = payload?.[ROOM_IN_FRONT];
    if (payload && room !== undefined && this.offset <= room && payload.offset === payload.buf.length) {
      const { buf } = payload;
      const whole = Buffer.from(buf.buffer, buf.byteOffset - this.offset, this.offset + buf.length);
      this.buf.copy(whole, 0, 0, this.offset);
      this.buf = whole;
      this.offset = whole.length;
      this[ROOM_IN_FRONT] = room - (whole.length - buf.length);
      // The room now belongs to this encoder: the payload cannot give it away twice.
      delete payload[ROOM_IN_FRONT];
      return this;
    }
    return original.call(this, value);
  };
  prototype.writeEncoder = Object.assign(writeEncoder, { framingInPlace: true as const });
}

/** KafkaJS's produce request v3, written into one buffer of its exact size, compressed partitions concurrently. */
export function createProduceRequest(): (args: ProduceRequestArgs) => ProduceRequest {
  const Encoder = requireFromHere("kafkajs/src/protocol/encoder") as { prototype: object };
  const Long = requireFromHere("kafkajs/src/utils/long") as { fromInt(value: number): unknown };
  const { Produce: apiKey } = requireFromHere("kafkajs/src/protocol/requests/apiKeys") as { Produce: number };
  const { Types } = requireFromHere("kafkajs/src/protocol/message/compression") as { Types: { None: number } };
  const Record = requireFromHere("kafkajs/src/protocol/recordBatch/record/v0") as (record: Record<string, unknown>) => EncoderLike;

  /** An encoder as KafkaJS's request framing reads it (`buf` a Buffer, `buffer` the bytes written). */
  const encoded = (buffer: Buffer): EncoderLike => {
    const encoder = Object.create(Encoder.prototype) as EncoderLike;
    encoder.buf = buffer;
    encoder.offset = buffer.length;
    return encoder;
  };

  const prepareBatch = (compression: number, data: PartitionData, transactional: boolean, producerId: unknown, producerEpoch: number): Promise<PreparedRecordBatch> => {
    // As KafkaJS: the batch's first and largest timestamps from the messages' own (sorted as KafkaJS sorts them), else now.
    const dateNow = Date.now();
    const stamps = data.messages.map((message) => message.timestamp).filter((timestamp) => timestamp != null).sort();
    const timestamps = stamps.length === 0 ? [dateNow] : stamps;
    const firstTimestamp = timestamps[0];
    const headerEncodings: HeaderEncodings = new Map();
    const records = data.messages.map((message, i): BatchRecord => {
      const record = { key: message.key, value: message.value, headers: message.headers, offsetDelta: i, timestampDelta: ((message.timestamp as number) || dateNow) - (firstTimestamp as number) } as RecordInput;
      // A record the fast encoder cannot measure (a delta beyond 32 bits, say) is KafkaJS's to encode.
      return measureRecord(record, headerEncodings) ?? Record({ ...message, ...record }).buffer;
    });
    return prepareRecordBatch({
      compression,
      records,
      firstTimestamp,
      maxTimestamp: timestamps[timestamps.length - 1],
      producerId,
      producerEpoch,
      firstSequence: data.firstSequence ?? 0,
      transactional,
      lastOffsetDelta: records.length - 1,
    });
  };

  return ({ acks, timeout, transactionalId = null, producerId = Long.fromInt(-1), producerEpoch = 0, compression = Types.None, topicData }) => ({
    apiKey,
    apiVersion: 3,
    apiName: "Produce",
    expectResponse: () => acks !== 0,
    encode: async () => {
      const batches = await Promise.all(
        topicData.map(({ partitions }) => Promise.all(partitions.map((data) => prepareBatch(compression, data, !!transactionalId, producerId, producerEpoch)))),
      );
      // transactionalId · acks int16 · timeout int32 · [topic · [partition int32 · size int32 · batch]]
      let size = stringBytes(transactionalId) + 2 + 4 + 4;
      topicData.forEach(({ topic }, t) => {
        size += stringBytes(topic) + 4;
        for (const batch of batches[t]!) size += 4 + 4 + batch.size;
      });
      const request = withFramingRoom(size);
      let position = writeString(request, 0, transactionalId);
      position = request.writeInt16BE(acks, position);
      position = request.writeInt32BE(timeout, position);
      position = request.writeInt32BE(topicData.length, position);
      topicData.forEach(({ topic, partitions }, t) => {
        position = writeString(request, position, topic);
        position = request.writeInt32BE(partitions.length, position);
        partitions.forEach(({ partition }, p) => {
          const batch = batches[t]![p]!;
          position = request.writeInt32BE(partition, position);
          position = request.writeInt32BE(batch.size, position);
          position = batch.writeTo(request, position);
        });
      });
      return framed(encoded(request));
    },
  });
}

/**
 * Puts it in KafkaJS's module cache, with the framing in place. Must run before a producer first
 * sends; returns false, changing nothing, when KafkaJS's produce request was already loaded without it.
 */
export function installProduceRequest(): boolean {
  const path = requireFromHere.resolve(PRODUCE_REQUEST);
  const loaded = requireFromHere.cache[path]?.exports as { fastProduceRequest?: true } | undefined;
  if (loaded) return loaded.fastProduceRequest === true;
  installFramingInPlace();
  requireFromHere(PRODUCE_REQUEST);
  requireFromHere.cache[path]!.exports = Object.assign(createProduceRequest(), { fastProduceRequest: true });
  return true;
}
