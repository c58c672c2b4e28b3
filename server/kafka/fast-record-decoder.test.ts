import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createFastRecordDecoder } from "./fast-record-decoder";

const requireHere = createRequire(import.meta.url);
type Decoder = { readVarIntBytes(): Buffer };
const DecoderClass = requireHere("kafkajs/src/protocol/decoder") as new (buffer: Buffer) => Decoder;
const encodeRecord = requireHere("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (record: object) => { buffer: Buffer };
const original = requireHere("kafkajs/src/protocol/recordBatch/record/v0/decoder.js") as (decoder: unknown, context: object) => unknown;
const Long = requireHere("kafkajs/src/utils/long");
const HeaderDecoder = requireHere("kafkajs/src/protocol/recordBatch/header/v0/decoder");
const fast = createFastRecordDecoder(Long, HeaderDecoder);

function decodeBoth(record: object, context: object): [unknown, unknown] {
  const bytes = new DecoderClass(encodeRecord(record).buffer).readVarIntBytes();
  return [original(new DecoderClass(bytes), context), fast(new DecoderClass(bytes) as never, context)];
}

describe("the fast record decoder", () => {
  const batch = { firstOffset: "1234567", firstTimestamp: "1795796316908", magicByte: 2, isControlBatch: false, timestampType: 0, maxTimestamp: "1795796317000" };

  it("decodes exactly what KafkaJS decodes: offsets, timestamps, keys, values and headers", () => {
    const cases = [
      { offsetDelta: 0, timestampDelta: 0, key: Buffer.from("k"), value: Buffer.from("v") },
      { offsetDelta: 41, timestampDelta: Long.fromValue(-17), key: null, value: Buffer.from("{}"), headers: { a: Buffer.from("1"), b: [Buffer.from("2"), Buffer.from("3")] } },
      { offsetDelta: 2_000_000, timestampDelta: Long.fromValue(123_456_789), key: Buffer.alloc(0), value: null },
      // A timestamp delta beyond 7 varint bytes: read by KafkaJS's own Long path.
      { offsetDelta: 5, timestampDelta: Long.fromValue("9007199254740993"), key: Buffer.from("x"), value: Buffer.from("y") },
    ];
    for (const record of cases) {
      const [expected, actual] = decodeBoth(record, { ...batch });
      expect(actual).toEqual(expected);
    }
  });

  it("falls back to exact 64-bit arithmetic for bases beyond 2^53", () => {
    const huge = { ...batch, firstOffset: "9223372036854775000", firstTimestamp: "9007199254740995" };
    const [expected, actual] = decodeBoth({ offsetDelta: 7, timestampDelta: Long.fromValue(3), key: null, value: Buffer.from("v") }, huge);
    expect(actual).toEqual(expected);
    expect((actual as { offset: string }).offset).toBe("9223372036854775007");
  });

  it("uses the batch's max timestamp under LogAppendTime", () => {
    const [expected, actual] = decodeBoth({ offsetDelta: 1, timestampDelta: Long.fromValue(5), key: null, value: null }, { ...batch, timestampType: 1 });
    expect(actual).toEqual(expected);
    expect((actual as { timestamp: string }).timestamp).toBe(batch.maxTimestamp);
  });
});
