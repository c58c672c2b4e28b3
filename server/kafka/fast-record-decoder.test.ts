import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createDecodeMessages } from "./fast-record-decoder";

const requireHere = createRequire(import.meta.url);
interface Decoder {
  buffer: Buffer;
  offset: number;
  readInt32(): number;
  canReadBytes(length: number): boolean;
  readBytes(length: number): Buffer;
}
const DecoderClass = requireHere("kafkajs/src/protocol/decoder") as new (buffer: Buffer) => Decoder;
const Encoder = requireHere("kafkajs/src/protocol/encoder") as new () => { writeInt32(n: number): unknown; writeBuffer(b: Buffer): unknown; buffer: Buffer };
const encodeRecord = requireHere("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (record: object) => unknown;
const { RecordBatch: encodeBatch } = requireHere("kafkajs/src/protocol/recordBatch/v0/index.js") as { RecordBatch: (batch: object) => Promise<{ buffer: Buffer }> };
// KafkaJS's own batch decoder (with its own record decoder): what decodeMessages did per batch.
const kafkaBatchDecoder = requireHere("kafkajs/src/protocol/recordBatch/v0/decoder.js") as (decoder: Decoder) => Promise<{ records: unknown[] }>;
const compression = requireHere("kafkajs/src/protocol/message/compression") as { Types: { GZIP: number }; lookupCodecByAttributes: (attributes: number) => never };
const decodeMessageSet = requireHere("kafkajs/src/protocol/messageSet/decoder") as never;
const Long = requireHere("kafkajs/src/utils/long") as { fromValue(value: unknown): unknown };

const fast = createDecodeMessages(DecoderClass as never, compression.lookupCodecByAttributes, decodeMessageSet);

/** KafkaJS 2.2.4's decodeMessages for record batches (kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js). */
async function kafkaDecodeMessages(decoder: Decoder): Promise<unknown[]> {
  const size = decoder.readInt32();
  if (size <= 0 || !decoder.canReadBytes(size)) return [];
  const messages = new DecoderClass(decoder.readBytes(size));
  const records: unknown[] = [];
  while (messages.canReadBytes(49)) {
    try {
      records.push(...(await kafkaBatchDecoder(messages)).records);
    } catch (error) {
      if ((error as Error).name === "KafkaJSPartialMessageError") break;
      throw error;
    }
  }
  return records;
}

/** A partition's record set as a Fetch response carries it: int32 size, then the batches, with bytes before and after it. */
function recordSet(batches: Buffer[], cutBy = 0): Buffer {
  const body = Buffer.concat(batches);
  const cut = body.subarray(0, body.length - cutBy);
  const encoder = new Encoder();
  encoder.writeInt32(cut.length);
  encoder.writeBuffer(cut);
  return Buffer.concat([Buffer.from([9, 9, 9]), encoder.buffer, Buffer.from([7, 7])]);
}

async function decodeBoth(set: Buffer): Promise<{ expected: unknown[]; actual: unknown[]; positions: [number, number] }> {
  const theirs = new DecoderClass(set);
  theirs.offset = 3;
  const ours = new DecoderClass(set);
  ours.offset = 3;
  const expected = await kafkaDecodeMessages(theirs);
  const actual = await fast(ours);
  return { expected, actual, positions: [theirs.offset, ours.offset] };
}

const records = [
  { offsetDelta: 0, timestampDelta: 0, key: Buffer.from("k"), value: Buffer.from('{"op":"c"}') },
  { offsetDelta: 1, timestampDelta: Long.fromValue(-17), key: null, value: Buffer.from("{}"), headers: { a: Buffer.from("1"), b: [Buffer.from("2"), Buffer.from("3")], "é": Buffer.from("x") } },
  { offsetDelta: 2, timestampDelta: Long.fromValue(123_456_789), key: Buffer.alloc(0), value: null },
  // A timestamp delta beyond 7 varint bytes: read as a BigInt.
  { offsetDelta: 3, timestampDelta: Long.fromValue("9007199254740993"), key: Buffer.from("x"), value: Buffer.alloc(20_000, 0x61) },
].map((record) => encodeRecord(record));

async function batch(options: object): Promise<Buffer> {
  return (await encodeBatch({ firstTimestamp: 1_795_796_316_908, maxTimestamp: 1_795_796_317_000, lastOffsetDelta: 3, records, ...options })).buffer;
}

describe("the fast record-batch decoder", () => {
  it("decodes exactly what KafkaJS decodes: offsets, timestamps, keys, values, headers and batch contexts", async () => {
    const set = recordSet([await batch({ firstOffset: Long.fromValue(1_234_567) }), await batch({ firstOffset: Long.fromValue(1_234_571), producerId: Long.fromValue(42), firstSequence: 9 })]);
    const { expected, actual, positions } = await decodeBoth(set);
    expect(actual).toHaveLength(8);
    expect(actual).toEqual(expected);
    expect(positions[1]).toBe(positions[0]);
    expect((actual[7] as { offset: string }).offset).toBe("1234574");
  });

  it("keeps exact 64-bit arithmetic for bases beyond 2^53", async () => {
    const { expected, actual } = await decodeBoth(recordSet([await batch({ firstOffset: Long.fromValue("9223372036854775000"), firstTimestamp: Long.fromValue("9007199254740995") })]));
    expect(actual).toEqual(expected);
    expect((actual[3] as { offset: string }).offset).toBe("9223372036854775003");
  });

  it("decodes gzip-compressed batches", async () => {
    const { expected, actual } = await decodeBoth(recordSet([await batch({ compression: compression.Types.GZIP, firstOffset: Long.fromValue(10) })]));
    expect(actual).toHaveLength(4);
    expect(actual).toEqual(expected);
  });

  it("marks control batches' records and uses the max timestamp under LogAppendTime", async () => {
    const control = await batch({ firstOffset: Long.fromValue(5) });
    control.writeInt16BE(control.readInt16BE(21) | 0x20 | 0x08 | 0x10, 21);
    const { expected, actual } = await decodeBoth(recordSet([control]));
    expect(actual).toEqual(expected);
    expect(actual.every((record) => (record as { isControlRecord: boolean; timestamp: string }).isControlRecord && (record as { timestamp: string }).timestamp === "1795796317000")).toBe(true);
  });

  it("stops at a batch cut off by the fetch's size limit, as KafkaJS does", async () => {
    const whole = await batch({ firstOffset: Long.fromValue(0) });
    const next = await batch({ firstOffset: Long.fromValue(4) });
    for (const cutBy of [1, 1000, next.length - 60, next.length - 20]) {
      const { expected, actual, positions } = await decodeBoth(recordSet([whole, next], cutBy));
      expect(actual).toHaveLength(4);
      expect(actual).toEqual(expected);
      expect(positions[1]).toBe(positions[0]);
    }
  });

  it("answers an empty record set with no records", async () => {
    const { expected, actual } = await decodeBoth(recordSet([]));
    expect(actual).toEqual([]);
    expect(expected).toEqual([]);
  });
});
