import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { crc32c, prepareRecordBatch, type RecordBatchInput } from "./record-batch-encoder";

const requireHere = createRequire(import.meta.url);
const { RecordBatch } = requireHere("kafkajs/src/protocol/recordBatch/v0") as { RecordBatch: (args: Record<string, unknown>) => Promise<{ buffer: Buffer }> };
const Record = requireHere("kafkajs/src/protocol/recordBatch/record/v0") as (record: Record<string, unknown>) => { buffer: Buffer };
const Long = requireHere("kafkajs/src/utils/long") as { fromValue(value: unknown): unknown };
const { Types } = requireHere("kafkajs/src/protocol/message/compression") as { Types: { None: number; GZIP: number } };

/** The batch written at an offset into a bigger buffer, as the produce request writes it; the bytes around untouched. */
async function encodeRecordBatch(input: RecordBatchInput): Promise<Buffer> {
  const batch = await prepareRecordBatch(input);
  const buffer = Buffer.alloc(batch.size + 16, 0xaa);
  expect(batch.writeTo(buffer, 8)).toBe(8 + batch.size);
  expect(buffer.subarray(0, 8).every((byte) => byte === 0xaa) && buffer.subarray(8 + batch.size).every((byte) => byte === 0xaa)).toBe(true);
  return buffer.subarray(8, 8 + batch.size);
}

function records(count: number) {
  return Array.from({ length: count }, (_, i) =>
    Record({ offsetDelta: i, timestampDelta: i * 3, key: `k-${i}`, value: i % 5 === 0 ? null : `{"n":${i},"t":"${"é".repeat(i % 9)}"}`, headers: { h: `${i}` } }),
  );
}

describe("the record batch encoder", () => {
  it("checksums with the native CRC32C where it is installed, giving KafkaJS's sums", () => {
    const kafkaCrc32C = requireHere("kafkajs/src/protocol/recordBatch/crc32C") as (buffer: Buffer) => number;
    expect(crc32c).not.toBe(kafkaCrc32C);
    for (const data of [Buffer.from("123456789"), Buffer.alloc(0), Buffer.alloc(100_003, 0x5a)]) expect(crc32c(data)).toBe(kafkaCrc32C(data));
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it.each([
    ["uncompressed", Types.None, false, 25],
    ["gzip", Types.GZIP, false, 25],
    ["uncompressed, transactional", Types.None, true, 3],
    ["gzip, transactional", Types.GZIP, true, 3],
    ["uncompressed, one record", Types.None, false, 1],
  ])("writes KafkaJS's bytes, %s", async (_name, compression, transactional, count) => {
    const encoded = records(count);
    const common = {
      compression,
      firstTimestamp: 1_764_000_000_123,
      maxTimestamp: "1764000000999",
      producerId: Long.fromValue(-1),
      producerEpoch: 7,
      firstSequence: 123_456,
      transactional,
      lastOffsetDelta: count - 1,
    };
    const expected = (await RecordBatch({ ...common, records: encoded })).buffer;
    const actual = await encodeRecordBatch({ ...common, records: encoded.map((record) => record.buffer) });
    expect(actual.length).toBe(expected.length);
    expect(actual.equals(expected)).toBe(true);
  });

  it("checksums what follows the CRC field with CRC32C, as Kafka verifies it", async () => {
    const batch = await encodeRecordBatch({ compression: Types.None, records: records(4).map((record) => record.buffer), firstTimestamp: 1, maxTimestamp: 2, producerId: 9, producerEpoch: 0, firstSequence: 0, transactional: false, lastOffsetDelta: 3 });
    // The CRC field (after FirstOffset, Length, leader epoch and magic) against KafkaJS's JavaScript CRC32C.
    const crc32C = requireHere("kafkajs/src/protocol/recordBatch/crc32C") as (buffer: Buffer) => number;
    expect(batch.readUInt32BE(17)).toBe(crc32C(batch.subarray(21)));
    expect(batch.readInt32BE(8)).toBe(batch.length - 12);
  });
});
