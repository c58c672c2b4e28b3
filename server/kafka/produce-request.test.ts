import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createProduceRequest, installFramingInPlace, type ProduceRequest, type ProduceRequestArgs } from "./produce-request";

const requireHere = createRequire(import.meta.url);
const original = requireHere("kafkajs/src/protocol/requests/produce/v3/request.js") as ((args: ProduceRequestArgs) => ProduceRequest) & { fastProduceRequest?: true };
const Long = requireHere("kafkajs/src/utils/long") as { fromValue(value: unknown): unknown };
const { Types } = requireHere("kafkajs/src/protocol/message/compression") as { Types: { None: number; GZIP: number } };
const ours = createProduceRequest();
type Framing = (args: { correlationId: number; clientId: string; request: ProduceRequest }) => Promise<{ buffer: Buffer; buf: Buffer }>;
const createRequest = requireHere("kafkajs/src/protocol/request") as Framing;
installFramingInPlace();

function messages(partition: number, count: number, timestamps: boolean) {
  return Array.from({ length: count }, (_, i) => ({
    key: `{"event_id":"${partition}-${i}"}`,
    value: i % 7 === 3 ? null : `{"after":{"n":${i},"text":"${"ü€".repeat(i % 50)}"}}`,
    headers: { "x-replay-id": String(partition), "x-replay-reason": i % 2 ? "" : "bench" },
    ...(timestamps ? { timestamp: 1_764_000_000_000 + ((i * 37) % 1000) } : {}),
  }));
}

function args(compression: number, timestamps: boolean, transactionalId: string | null = null): ProduceRequestArgs {
  return {
    acks: -1,
    timeout: 30_000,
    transactionalId,
    producerId: Long.fromValue(4_711),
    producerEpoch: 2,
    compression,
    topicData: [
      { topic: "replays", partitions: [0, 3, 5, 1].map((partition) => ({ partition, firstSequence: partition * 1000, messages: messages(partition, 40 + partition * 13, timestamps) })) },
      { topic: "other", partitions: [{ partition: 2, firstSequence: 0, messages: messages(2, 5, timestamps) }] },
    ],
  };
}

describe("the produce request written to its exact size", () => {
  it("is compared with KafkaJS's own request, not with itself", () => {
    expect(original.fastProduceRequest).toBeUndefined();
  });

  it.each([
    ["uncompressed", Types.None, null],
    ["gzip", Types.GZIP, null],
    ["uncompressed, in a transaction", Types.None, "tx-ü"],
    ["gzip, in a transaction", Types.GZIP, "tx-ü"],
  ])("encodes exactly KafkaJS's bytes, %s, for several topics and partitions", async (_name, compression, transactionalId) => {
    const expected = original(args(compression, true, transactionalId));
    const actual = ours(args(compression, true, transactionalId));
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
    const encoded = (await ours(args(Types.None, false)).encode()).buffer;
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

  it("measures a headers object that records share once, and writes KafkaJS's bytes for each record", async () => {
    const shared = { "x-replay-id": "9", "x-replayed-by": "user:ü", "x-replay-reason": "" };
    const sharing = args(Types.None, true);
    for (const partition of sharing.topicData[0]!.partitions) for (const message of partition.messages) message.headers = shared;
    const [a, b] = await Promise.all([original(sharing).encode(), ours(sharing).encode()]);
    expect(b.buffer.equals(a.buffer)).toBe(true);
  });

  it("leaves a record it cannot measure to KafkaJS's record encoder: timestamps more than 2^31 ms apart", async () => {
    const far = args(Types.None, true);
    far.topicData[0]!.partitions[0]!.messages[1]!.timestamp = 1_764_000_000_000 + 2 ** 32;
    const [a, b] = await Promise.all([original(far).encode(), ours(far).encode()]);
    expect(b.buffer.equals(a.buffer)).toBe(true);
  });

  it.each([
    ["a short client id: framed in place, in the payload's memory", "outbox-lens", true],
    ["a client id longer than the room: framed by copying, as KafkaJS does", "c".repeat(400), false],
  ])("is framed by KafkaJS's request framing into KafkaJS's bytes, %s", async (_name, clientId, inPlace) => {
    const expected = await createRequest({ correlationId: 77, clientId, request: original(args(Types.None, true)) });
    const request = ours(args(Types.None, true));
    const payload = await request.encode();
    const framed = await createRequest({ correlationId: 77, clientId, request: { ...request, encode: async () => payload } });
    expect(framed.buffer.equals(expected.buffer)).toBe(true);
    expect(framed.buf.buffer === payload.buf.buffer).toBe(inPlace);
  });

  it("frames every other request as KafkaJS does, copying", async () => {
    const Encoder = requireHere("kafkajs/src/protocol/encoder") as new () => { writeInt32(value: number): { buf: Buffer; buffer: Buffer }; writeEncoder(value: unknown): { buf: Buffer; buffer: Buffer } };
    const payload = new Encoder().writeInt32(42);
    const outer = new Encoder().writeEncoder(payload);
    expect(outer.buffer.equals(Buffer.from([0, 0, 0, 42]))).toBe(true);
    expect(outer.buf.buffer === payload.buf.buffer).toBe(false);
  });

  it("answers without a response when acks is 0, as KafkaJS's", () => {
    expect(ours({ ...args(Types.None, true), acks: 0 }).expectResponse()).toBe(false);
  });
});
