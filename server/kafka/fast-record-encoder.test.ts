import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createFastRecordEncoder, type RecordInput } from "./fast-record-encoder";

const requireHere = createRequire(import.meta.url);
type Encoded = { buffer: Buffer; size(): number };
const original = requireHere("kafkajs/src/protocol/recordBatch/record/v0/index.js") as ((record: RecordInput) => Encoded) & { fastRecordEncoder?: true };
const Encoder = requireHere("kafkajs/src/protocol/encoder") as { prototype: object } & (new () => { writeEncoderArray(records: unknown[]): { buffer: Buffer } });
const Long = requireHere("kafkajs/src/utils/long") as { fromValue(value: unknown): unknown };
let fallbacks = 0;
const fast = createFastRecordEncoder((record) => {
  fallbacks++;
  return original(record) as never;
}, Encoder.prototype) as unknown as (record: RecordInput) => Encoded;

function bytesOfBoth(record: RecordInput): [Buffer, Buffer] {
  return [original(record).buffer, fast(record).buffer];
}

describe("the fast record encoder", () => {
  it("is compared with KafkaJS's own encoder, not with itself", () => {
    expect(original.fastRecordEncoder).toBeUndefined();
  });

  it("writes exactly KafkaJS's bytes for text, bytes, nulls, headers and deltas of every varint length", () => {
    const cases: RecordInput[] = [
      { key: "k", value: "v" },
      { offsetDelta: 0, timestampDelta: 0, key: null, value: null },
      { offsetDelta: 1999, timestampDelta: 17, key: Buffer.from([0, 255, 128]), value: Buffer.alloc(0), headers: {} },
      { offsetDelta: 63, timestampDelta: 64, key: "", value: "ü€😀 multi-byte text", headers: { "x-replay-id": "12", "x-replayed-by": "user:alice", "x-replay-reason": "" } },
      { offsetDelta: 8191, timestampDelta: -8192, key: "{\"event_id\":\"e\"}", value: "x".repeat(300), headers: { a: [Buffer.from("1"), "2"], ü: Buffer.from([0xff]) } },
      { offsetDelta: 1_048_575, timestampDelta: 2_147_483_647, key: undefined, value: "y".repeat(70_000) },
      { offsetDelta: 2_147_483_647, timestampDelta: -2_147_483_648, key: "k", value: null, headers: { many: Array.from({ length: 130 }, (_, i) => `v${i}`) } },
    ];
    for (const record of cases) {
      const [expected, actual] = bytesOfBoth(record);
      expect(actual.equals(expected), JSON.stringify(record).slice(0, 200)).toBe(true);
    }
    expect(fallbacks).toBe(0);
  });

  it("writes KafkaJS's bytes for random records", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const text = () => Array.from({ length: random(400) }, () => String.fromCodePoint([32 + random(95), 0xe9, 0x20ac, 0x1f600][random(4)]!)).join("");
    for (let i = 0; i < 500; i++) {
      const record: RecordInput = {
        offsetDelta: random(5000),
        timestampDelta: random(3) === 0 ? -random(100_000) : random(10_000_000),
        key: [null, text(), Buffer.from(text())][random(3)],
        value: [null, text(), Buffer.from(text())][random(3)],
        headers: Object.fromEntries(Array.from({ length: random(4) }, (_, h) => [`h${h}`, random(2) ? text() : Buffer.from(text())])),
      };
      const [expected, actual] = bytesOfBoth(record);
      expect(actual.equals(expected)).toBe(true);
    }
  });

  it("is read by KafkaJS's batch encoder like its own records", () => {
    const records = [{ key: "a", value: "1" }, { key: null, value: "2", offsetDelta: 1, headers: { h: "x" } }];
    const expected = new Encoder().writeEncoderArray(records.map((record) => original(record))).buffer;
    const actual = new Encoder().writeEncoderArray(records.map((record) => fast(record))).buffer;
    expect(actual.equals(expected)).toBe(true);
    expect(fast(records[1]!).size()).toBe(original(records[1]!).size());
  });

  it("leaves to KafkaJS what it cannot measure exactly: a Long delta, a delta beyond 32 bits, a number header", () => {
    fallbacks = 0;
    const cases: RecordInput[] = [
      { timestampDelta: Long.fromValue(5), key: "k", value: "v" },
      { timestampDelta: 2 ** 40, key: "k", value: "v" },
      { key: "k", value: "v", headers: { n: 5 as unknown as string } },
    ];
    for (const record of cases) {
      let expected: Buffer | Error;
      try {
        expected = original(record).buffer;
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) expect(() => fast(record)).toThrow(expected.message);
      else expect(fast(record).buffer.equals(expected)).toBe(true);
    }
    expect(fallbacks).toBe(cases.length);
  });
});
