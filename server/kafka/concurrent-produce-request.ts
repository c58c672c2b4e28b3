import { createRequire } from "node:module";
import { installFastRecordEncoder } from "./fast-record-encoder";

/**
 * KafkaJS's produce request (v3, which v4–v7 reuse; KafkaJS 2.2.4, its last release) with the
 * partitions' record batches encoded concurrently, installed in KafkaJS's module cache before a
 * producer first sends. KafkaJS's awaits each partition's batch before it starts the next, and a
 * compressed batch waits for zlib on Node's thread pool: a 2,000-record replay to 6 partitions
 * spent most of its send compressing one partition at a time, the other core idle. Concurrently,
 * the same send took ~20 ms instead of ~30 ms on a 2-core machine. The bytes on the wire are
 * KafkaJS's own (unit-tested against its module).
 */

const requireFromHere = createRequire(import.meta.url);
const PRODUCE_REQUEST = "kafkajs/src/protocol/requests/produce/v3/request.js";

interface EncoderLike {
  buffer: Buffer;
  size(): number;
  writeString(value: string | null): EncoderLike;
  writeInt16(value: number): EncoderLike;
  writeInt32(value: number): EncoderLike;
  writeArray(values: unknown[]): EncoderLike;
  writeEncoder(value: EncoderLike): EncoderLike;
}
type EncoderClass = new () => EncoderLike;

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

/** KafkaJS's produce request v3, with every topic's and partition's batch encoded concurrently. */
export function createConcurrentProduceRequest(): (args: ProduceRequestArgs) => ProduceRequest {
  const Encoder = requireFromHere("kafkajs/src/protocol/encoder") as EncoderClass;
  const Long = requireFromHere("kafkajs/src/utils/long") as { fromInt(value: number): unknown };
  const { Produce: apiKey } = requireFromHere("kafkajs/src/protocol/requests/apiKeys") as { Produce: number };
  const { Types } = requireFromHere("kafkajs/src/protocol/message/compression") as { Types: { None: number } };
  const Record = requireFromHere("kafkajs/src/protocol/recordBatch/record/v0") as (record: Record<string, unknown>) => unknown;
  const { RecordBatch } = requireFromHere("kafkajs/src/protocol/recordBatch/v0") as { RecordBatch: (args: Record<string, unknown>) => Promise<EncoderLike> };

  const encodePartition = async (compression: number, data: PartitionData, transactionalId: string | null, producerId: unknown, producerEpoch: number): Promise<EncoderLike> => {
    // As KafkaJS: the batch's first and largest timestamps from the messages' own (sorted as KafkaJS sorts them), else now.
    const dateNow = Date.now();
    const stamps = data.messages.map((message) => message.timestamp).filter((timestamp) => timestamp != null).sort();
    const timestamps = stamps.length === 0 ? [dateNow] : stamps;
    const firstTimestamp = timestamps[0];
    const maxTimestamp = timestamps[timestamps.length - 1];
    const records = data.messages.map((message, i) =>
      Record({ ...message, offsetDelta: i, timestampDelta: ((message.timestamp as number) || dateNow) - (firstTimestamp as number) }),
    );
    const recordBatch = await RecordBatch({
      compression,
      records,
      firstTimestamp,
      maxTimestamp,
      producerId,
      producerEpoch,
      firstSequence: data.firstSequence,
      transactional: !!transactionalId,
      lastOffsetDelta: records.length - 1,
    });
    return new Encoder().writeInt32(data.partition).writeInt32(recordBatch.size()).writeEncoder(recordBatch);
  };

  return ({ acks, timeout, transactionalId = null, producerId = Long.fromInt(-1), producerEpoch = 0, compression = Types.None, topicData }) => ({
    apiKey,
    apiVersion: 3,
    apiName: "Produce",
    expectResponse: () => acks !== 0,
    encode: async () => {
      const topics = await Promise.all(
        topicData.map(async ({ topic, partitions }) => {
          const encoded = await Promise.all(partitions.map((data) => encodePartition(compression, data, transactionalId, producerId, producerEpoch)));
          return new Encoder().writeString(topic).writeArray(encoded);
        }),
      );
      return new Encoder().writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeArray(topics);
    },
  });
}

/**
 * Puts it in KafkaJS's module cache, after the fast record encoder (which it uses). Must run
 * before a producer first sends; returns false, changing nothing, when KafkaJS's produce request
 * was already loaded without it.
 */
export function installConcurrentProduceRequest(): boolean {
  const path = requireFromHere.resolve(PRODUCE_REQUEST);
  const loaded = requireFromHere.cache[path]?.exports as { concurrentProduceRequest?: true } | undefined;
  if (loaded) return loaded.concurrentProduceRequest === true;
  if (!installFastRecordEncoder()) return false;
  requireFromHere(PRODUCE_REQUEST);
  requireFromHere.cache[path]!.exports = Object.assign(createConcurrentProduceRequest(), { concurrentProduceRequest: true });
  return true;
}
