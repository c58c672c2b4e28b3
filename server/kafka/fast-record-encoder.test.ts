import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { measureRecord, writeRecord, type RecordInput } from "./fast-record-encoder";

const requireHere = createRequire(import.meta.url);
type Encoded = { buffer: Buffer; size(): number };
const original = requireHere("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (record: RecordInput) => Encoded;
const Long = requireHere("kafkajs/src/utils/long") as { fromValue(value: unknown): unknown };

/** Measured and written at an offset into a bigger buffer, as a batch writes it. */
function fast(record: RecordInput): Buffer {
  const measured = measureRecord(record);
  if (!measured) throw new Error("not measured");
  const buffer = Buffer.alloc(measured.size + 10, 0xaa);
  expect(writeRecord(buffer, 3, measured)).toBe(3 + measured.size);
  expect(buffer.subarray(3 + measured.size).every((byte) => byte === 0xaa)).toBe(true);
  return buffer.subarray(3, 3 + measured.size);
}

function bytesOfBoth(record: RecordInput): [Buffer, Buffer] {
  return [original(record).buffer, fast(record)];
}

describe("the fast record encoder", () => {
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

  it("leaves to KafkaJS what it cannot measure exactly: a Long delta, a delta beyond 32 bits, a number header", () => {
    const cases: RecordInput[] = [
      { timestampDelta: Long.fromValue(5), key: "k", value: "v" },
      { timestampDelta: 2 ** 40, key: "k", value: "v" },
      { key: "k", value: "v", headers: { n: 5 as unknown as string } },
      { offsetDelta: 2 ** 31, key: "k", value: "v" },
    ];
    cases.forEach((record, i) => expect(measureRecord(record), `case ${i}`).toBeNull());
  });
});
