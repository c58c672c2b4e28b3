import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createConcurrentProduceRequest, type ProduceRequest, type ProduceRequestArgs } from "./concurrent-produce-request";

const requireHere = createRequire(import.meta.url);
const original = requireHere("kafkajs/src/protocol/requests/produce/v3/request.js") as ((args: ProduceRequestArgs) => ProduceRequest) & { concurrentProduceRequest?: true };
const Long = requireHere("kafkajs/src/utils/long") as { fromValue(value: unknown): unknown };
const { Types } = requireHere("kafkajs/src/protocol/message/compression") as { Types: { None: number; GZIP: number } };
const concurrent = createConcurrentProduceRequest();

function messages(partition: number, count: number, timestamps: boolean) {
  return Array.from({ length: count }, (_, i) => ({
    key: `{"event_id":"${partition}-${i}"}`,
    value: i % 7 === 3 ? null : `{"after":{"n":${i},"text":"${"ü€".repeat(i % 50)}"}}`,
    headers: { "x-replay-id": String(partition), "x-replay-reason": i % 2 ? "" : "bench" },
    ...(timestamps ? { timestamp: 1_764_000_000_000 + ((i * 37) % 1000) } : {}),
  }));
}

function args(compression: number, timestamps: boolean): ProduceRequestArgs {
  return {
    acks: -1,
    timeout: 30_000,
    transactionalId: null,
    producerId: Long.fromValue(4_711),
    producerEpoch: 2,
    compression,
    topicData: [
      { topic: "replays", partitions: [0, 3, 5, 1].map((partition) => ({ partition, firstSequence: partition * 1000, messages: messages(partition, 40 + partition * 13, timestamps) })) },
      { topic: "other", partitions: [{ partition: 2, firstSequence: 0, messages: messages(2, 5, timestamps) }] },
    ],
  };
}

describe("the concurrent produce request", () => {
  it("is compared with KafkaJS's own request, not with itself", () => {
    expect(original.concurrentProduceRequest).toBeUndefined();
  });

  it.each([
    ["uncompressed", Types.None],
    ["gzip", Types.GZIP],
  ])("encodes exactly KafkaJS's bytes, %s, for several topics and partitions", async (_name, compression) => {
    const expected = original(args(compression, true));
    const actual = concurrent(args(compression, true));
    expect({ apiKey: actual.apiKey, apiVersion: actual.apiVersion, apiName: actual.apiName, expectResponse: actual.expectResponse() }).toEqual({
      apiKey: expected.apiKey,
      apiVersion: expected.apiVersion,
      apiName: expected.apiName,
      expectResponse: expected.expectResponse(),
    });
    const [a, b] = await Promise.all([expected.encode(), actual.encode()]);
    expect(b.buffer.length).toBeGreaterThan(1_000);
    expect(b.buffer.equals(a.buffer)).toBe(true);
  });

  it("stamps messages without a timestamp with the time of encoding, as KafkaJS does", async () => {
    const before = Date.now();
    const encoded = (await concurrent(args(Types.None, false)).encode()).buffer;
    const after = Date.now();
    // The first record batch's firstTimestamp: after the request header (transactional id -1,
    // acks, timeout), the topic array, the topic name, the partition array, partition, size,
    // baseOffset, length, leader epoch, magic, crc, attributes and last offset delta.
    const topicName = Buffer.byteLength("replays");
    const at = 2 + 2 + 4 + 4 + 2 + topicName + 4 + 4 + 4 + 8 + 4 + 4 + 1 + 4 + 2 + 4;
    const firstTimestamp = Number(encoded.readBigInt64BE(at));
    expect(firstTimestamp).toBeGreaterThanOrEqual(before);
    expect(firstTimestamp).toBeLessThanOrEqual(after);
  });

  it("answers without a response when acks is 0, as KafkaJS's", () => {
    expect(concurrent({ ...args(Types.None, true), acks: 0 }).expectResponse()).toBe(false);
  });
});
