import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  decodeListOffsetsResponse,
  decodeOffsetFetchResponse,
  encodeListOffsetsRequest,
  encodeOffsetFetchRequest,
} from "./offset-codecs";

// KafkaJS's own codecs are the reference: ours must write the same bytes and read the same values.
const requireHere = createRequire(import.meta.url);
interface KafkaEncoder {
  buffer: Buffer;
  writeInt8(v: number): KafkaEncoder;
  writeInt16(v: number): KafkaEncoder;
  writeInt32(v: number): KafkaEncoder;
  writeInt64(v: number | string): KafkaEncoder;
  writeString(v: string | null): KafkaEncoder;
  writeArray(v: KafkaEncoder[]): KafkaEncoder;
}
const Encoder = requireHere("kafkajs/src/protocol/encoder") as new () => KafkaEncoder;
type KafkaRequest = { encode(): Promise<KafkaEncoder> };
const offsetFetchRequest = (version: number) => requireHere(`kafkajs/src/protocol/requests/offsetFetch/v${version}/request`) as (args: unknown) => KafkaRequest;
const offsetFetchResponse = (version: number) =>
  requireHere(`kafkajs/src/protocol/requests/offsetFetch/v${version}/response`) as {
    decode(raw: Buffer): Promise<{ throttleTime?: number; clientSideThrottleTime?: number; errorCode?: number; responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[] }>;
  };
const listOffsetsRequest = (version: number) => requireHere(`kafkajs/src/protocol/requests/listOffsets/v${version}/request`) as (args: unknown) => KafkaRequest;
const listOffsetsResponse = (version: number) =>
  requireHere(`kafkajs/src/protocol/requests/listOffsets/v${version}/response`) as {
    decode(raw: Buffer): Promise<{ throttleTime?: number; clientSideThrottleTime?: number; responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[] }>;
  };

/** Offsets across the int64 range numbers hold exactly, including the halves' boundaries. */
const OFFSETS = [-1, 0, 1, 127, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 1_234_567_890_123, Number.MAX_SAFE_INTEGER];

interface PartitionEntry {
  partition: number;
  offset: number;
  errorCode: number;
  metadata?: string | null;
}

function offsetFetchResponseBytes(version: number, topics: { topic: string; partitions: PartitionEntry[] }[], errorCode: number, throttle: number): Buffer {
  const encoder = new Encoder();
  if (version >= 3) encoder.writeInt32(throttle);
  encoder.writeArray(
    topics.map(({ topic, partitions }) =>
      new Encoder().writeString(topic).writeArray(
        partitions.map(({ partition, offset, errorCode: code, metadata = null }) =>
          new Encoder().writeInt32(partition).writeInt64(String(offset)).writeString(metadata).writeInt16(code),
        ),
      ),
    ),
  );
  if (version >= 2) encoder.writeInt16(errorCode);
  return encoder.buffer;
}

function listOffsetsResponseBytes(version: number, topics: { topic: string; partitions: PartitionEntry[] }[], throttle: number): Buffer {
  const encoder = new Encoder();
  if (version >= 2) encoder.writeInt32(throttle);
  encoder.writeArray(
    topics.map(({ topic, partitions }) =>
      new Encoder()
        .writeString(topic)
        .writeArray(partitions.map(({ partition, offset, errorCode }) => new Encoder().writeInt32(partition).writeInt16(errorCode).writeInt64("1700000000000").writeInt64(String(offset)))),
    ),
  );
  return encoder.buffer;
}

const partitionsOf = (count: number) => Array.from({ length: count }, (_, i) => (i * 7) % count);

describe("OffsetFetch", () => {
  for (const version of [1, 2, 3, 4]) {
    it(`v${version}: writes KafkaJS's request bytes`, async () => {
      for (const [groupId, topic, count] of [
        ["g", "t", 1],
        ["activity-event-processor", "postgres.activity.event_outbox", 1000],
        ["gruppe-ü-✓", "topic.ö", 3],
      ] as const) {
        const partitions = partitionsOf(count);
        const theirs = await offsetFetchRequest(version)({ groupId, topics: [{ topic, partitions: partitions.map((partition) => ({ partition })) }] }).encode();
        expect(encodeOffsetFetchRequest(groupId, topic, partitions).equals(theirs.buffer)).toBe(true);
      }
    });

    it(`v${version}: reads what KafkaJS reads, the asked topic only`, async () => {
      const asked = OFFSETS.map((offset, partition) => ({ partition, offset, errorCode: partition === 3 ? 16 : 0, metadata: partition % 2 ? "meta ✓" : null }));
      const other = [{ partition: 0, offset: 99, errorCode: 0 }];
      const raw = offsetFetchResponseBytes(
        version,
        [
          { topic: "other", partitions: other },
          { topic: "t", partitions: asked },
        ],
        version >= 2 ? 25 : 0,
        version >= 3 ? 7 : 0,
      );
      const theirs = await offsetFetchResponse(version).decode(raw);
      const ours = decodeOffsetFetchResponse(version, raw, "t");
      const theirTopic = theirs.responses.find((r) => r.topic === "t")!;
      expect(Array.from(ours.partitions)).toEqual(theirTopic.partitions.map((p) => p.partition));
      expect(Array.from(ours.offsets)).toEqual(theirTopic.partitions.map((p) => Number(p.offset)));
      expect(Array.from(ours.offsets)).toEqual(OFFSETS);
      expect(Array.from(ours.errorCodes)).toEqual(theirTopic.partitions.map((p) => p.errorCode));
      expect(ours.errorCode).toBe(theirs.errorCode ?? 0);
      expect(ours.throttleTimeMs).toBe(version >= 3 ? 7 : 0);
    });
  }

  it("returns no partitions for a topic the response does not name, and rejects a cut response", () => {
    const raw = offsetFetchResponseBytes(4, [{ topic: "other", partitions: [{ partition: 0, offset: 1, errorCode: 0 }] }], 0, 0);
    expect(decodeOffsetFetchResponse(4, raw, "t").partitions).toHaveLength(0);
    expect(() => decodeOffsetFetchResponse(4, raw.subarray(0, raw.length - 5), "other")).toThrow(RangeError);
  });
});

describe("ListOffsets", () => {
  for (const version of [1, 2, 3]) {
    for (const timestamp of [LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, 1_700_000_000_123]) {
      it(`v${version}: writes KafkaJS's request bytes (timestamp ${timestamp})`, async () => {
        for (const isolationLevel of [0, 1]) {
          const partitions = partitionsOf(1000);
          const theirs = await listOffsetsRequest(version)({
            replicaId: -1,
            isolationLevel,
            topics: [{ topic: "postgres.activity.event_outbox", partitions: partitions.map((partition) => ({ partition, timestamp })) }],
          }).encode();
          expect(encodeListOffsetsRequest(version, isolationLevel, "postgres.activity.event_outbox", partitions, timestamp).equals(theirs.buffer)).toBe(true);
        }
      });
    }

    it(`v${version}: reads what KafkaJS reads, the asked topic only`, async () => {
      const asked = OFFSETS.filter((offset) => offset >= 0).map((offset, partition) => ({ partition, offset, errorCode: partition === 2 ? 6 : 0 }));
      const raw = listOffsetsResponseBytes(
        version,
        [
          { topic: "t", partitions: asked },
          { topic: "u", partitions: [{ partition: 0, offset: 5, errorCode: 0 }] },
        ],
        version >= 2 ? 11 : 0,
      );
      const theirs = await listOffsetsResponse(version).decode(raw);
      const ours = decodeListOffsetsResponse(version, raw, "t");
      const theirTopic = theirs.responses.find((r) => r.topic === "t")!;
      expect(Array.from(ours.partitions)).toEqual(theirTopic.partitions.map((p) => p.partition));
      expect(Array.from(ours.offsets)).toEqual(theirTopic.partitions.map((p) => Number(p.offset)));
      expect(Array.from(ours.errorCodes)).toEqual(theirTopic.partitions.map((p) => p.errorCode));
      expect(ours.throttleTimeMs).toBe(version >= 2 ? 11 : 0);
    });
  }
});
