import { describe, expect, it } from "vitest";
import { MAX_HEX_PREVIEW_BYTES } from "./bytes";
import { createRecordDecoder, decodeRecord } from "./decode";
import { CONFLUENT_AVRO_VALUE, CREATE_KEY, CREATE_VALUE, FLATTENED_ROW_VALUE, bytes, rawRecord, withAfterColumns } from "./fixtures/records";
import { MAX_JSON_DEPTH } from "./json";
import { DEFAULT_PREVIEW_BYTES, MAX_CELL_CHARS_WHEN_TRUNCATED } from "./options";
import type { DecodedRecord, RawKafkaRecord } from "./types";

const MiB = 1024 * 1024;
const KIND_OF_VALUES = ["change", "tombstone", "json", "text", "binary"];

function decodeValue(value: string | Uint8Array, options?: Parameters<typeof decodeRecord>[1]): DecodedRecord {
  return decodeRecord(rawRecord(value), options);
}

describe("decodeRecord: values that are not change events", () => {
  it("keeps JSON that is not an envelope (a row flattened by ExtractNewRecordState) as parsed JSON", () => {
    const record = decodeValue(FLATTENED_ROW_VALUE);
    expect(record.kind).toBe("json");
    if (record.kind !== "json") return;
    expect(record.value).toEqual(JSON.parse(FLATTENED_ROW_VALUE));
    expect(record.truncated).toBe(false);
    expect(record.problems).toEqual([]);
  });

  it("keeps JSON scalars and arrays as JSON", () => {
    for (const [text, value] of [["true", true], ["42", 42], ["-1.5e3", -1500], ["null", null], ['"quoted"', "quoted"], ["[1,{}]", [1, {}]]] as const) {
      const record = decodeValue(text);
      expect(record.kind).toBe("json");
      expect(record.kind === "json" && record.value).toEqual(value);
    }
  });

  it("reads JSON after a UTF-8 BOM and whitespace", () => {
    const record = decodeValue(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(' \n{"a":1}')]));
    expect(record.kind === "json" && record.value).toEqual({ a: 1 });
  });

  it("keeps plain text as text, without a problem", () => {
    for (const text of ["user a1 created", "null pointer exception", "5 retries left", "ünïcödé ✓"]) {
      const record = decodeValue(text);
      expect(record.kind).toBe("text");
      expect(record.kind === "text" && record.text).toBe(text);
      expect(record.problems).toEqual([]);
    }
  });

  it("flags text that starts like JSON but does not parse", () => {
    for (const text of ['{"before":null,"after":', "[1, 2", '"unterminated']) {
      const record = decodeValue(text);
      expect(record.kind).toBe("text");
      expect(record.kind === "text" && record.text).toBe(text);
      expect(record.problems.map((problem) => problem.code)).toEqual(["invalid-json"]);
    }
  });

  it("reads an empty (0-byte) value as empty text, not as a tombstone", () => {
    const record = decodeValue(new Uint8Array());
    expect(record.kind).toBe("text");
    expect(record.kind === "text" && record.text).toBe("");
    expect(record.valueSizeBytes).toBe(0);
    expect(record.truncated).toBe(false);
    expect(decodeValue("  \n").kind).toBe("text");
  });

  it("reads invalid UTF-8 (a Confluent Avro value) as binary with a hex preview", () => {
    const record = decodeValue(CONFLUENT_AVRO_VALUE);
    expect(record.kind).toBe("binary");
    if (record.kind !== "binary") return;
    expect(record.hex).toBe("00000000070248a9659ecb49664845ff");
    expect(record.truncated).toBe(false);
    expect(record.preview).toBeUndefined();
    expect(record.valueSizeBytes).toBe(16);
    expect(record.problems).toEqual([]);
  });

  it("reads a value that starts like JSON but is not UTF-8 as binary", () => {
    const record = decodeValue(new Uint8Array([...bytes('{"a":"'), 0xc3, 0x28, ...bytes('"}')]));
    expect(record.kind).toBe("binary");
  });

  it("caps the hex preview of a large binary value", () => {
    const value = new Uint8Array(4096).fill(0xff);
    const record = decodeValue(value);
    expect(record.kind).toBe("binary");
    if (record.kind !== "binary") return;
    expect(record.hex).toHaveLength(MAX_HEX_PREVIEW_BYTES * 2);
    expect(record.truncated).toBe(true);
    expect(record.preview).toBe(record.hex);
  });
});

describe("decodeRecord: values over previewBytes", () => {
  const bigPayload = JSON.stringify({ blob: "y".repeat(100_000) });
  const bigCreate = withAfterColumns(CREATE_VALUE, { payload: bigPayload });

  it("still decodes a change event's envelope, and marks it truncated", () => {
    const record = decodeValue(bigCreate);
    expect(record.kind).toBe("change");
    if (record.kind !== "change") return;
    expect(record.truncated).toBe(true);
    expect(record.op).toBe("c");
    expect(record.source?.lsn).toBe(26550232);
    expect(record.tsMs).toBe(1795796316907);
    expect(record.outbox).toMatchObject({ eventId: "a9659ecb-4966-4845-9bcb-344766d73c17", status: "pending", eventType: "UserCreated" });
    expect(record.outbox.createdAtMs).toBeCloseTo(Date.UTC(2026, 10, 27, 16, 18, 36, 793) + 0.281, 6);
    expect(record.problems).toEqual([]);
  });

  it("keeps a preview of previewBytes instead of the big cell", () => {
    const record = decodeValue(bigCreate);
    if (record.kind !== "change") throw new Error(record.kind);
    expect(bytes(record.preview ?? "").length).toBe(DEFAULT_PREVIEW_BYTES);
    expect(record.preview?.startsWith('{"before":null,"after":{"event_id":"a9659ecb')).toBe(true);
    expect(record.after?.payload).toEqual({ omitted: "too-long", textLength: bigPayload.length });
    expect(record.afterNotes?.omittedColumns).toEqual(["payload"]);
    expect(record.afterNotes?.jsonbColumns).toEqual([{ column: "payload", textLength: bigPayload.length, status: "omitted" }]);
    expect(record.after?.status).toBe("pending");
    // Bounded: the decoded record is about the preview's size, not the value's.
    expect(JSON.stringify(record).length).toBeLessThan(2 * DEFAULT_PREVIEW_BYTES);
  });

  it("still parses small jsonb cells of a truncated record", () => {
    const record = decodeValue(withAfterColumns(CREATE_VALUE, { last_error: "e".repeat(80_000) }));
    if (record.kind !== "change") throw new Error(record.kind);
    expect(record.truncated).toBe(true);
    expect(record.after?.payload).toEqual({ email: "x@y.z" });
    expect(record.after?.last_error).toEqual({ omitted: "too-long", textLength: 80_000 });
    const short = "e".repeat(MAX_CELL_CHARS_WHEN_TRUNCATED);
    const kept = decodeValue(withAfterColumns(CREATE_VALUE, { last_error: short, filler: "f".repeat(80_000) }));
    expect(kept.kind === "change" && kept.after?.last_error).toBe(short);
  });

  it("decodes a big change event whole when previewBytes allows it", () => {
    const record = decodeValue(bigCreate, { previewBytes: MiB });
    if (record.kind !== "change") throw new Error(record.kind);
    expect(record.truncated).toBe(false);
    expect(record.preview).toBeUndefined();
    expect(record.after?.payload).toEqual({ blob: "y".repeat(100_000) });
  });

  it("parses a 5 MB JSON string to know it is JSON, but does not keep it", () => {
    const value = bytes(JSON.stringify("x".repeat(5 * MiB)));
    const record = decodeValue(value);
    expect(record.kind).toBe("json");
    if (record.kind !== "json") return;
    expect(record.truncated).toBe(true);
    expect(record.value).toBeUndefined();
    expect(record.valueSizeBytes).toBe(5 * MiB + 2);
    expect(record.preview).toBe(`"${"x".repeat(DEFAULT_PREVIEW_BYTES - 1)}`);
  });

  it("keeps the 5 MB string when previewBytes is raised to load it anyway", () => {
    const record = decodeValue(JSON.stringify("x".repeat(5 * MiB)), { previewBytes: 8 * MiB });
    expect(record.kind === "json" && typeof record.value === "string" && record.value.length).toBe(5 * MiB);
    expect(record.truncated).toBe(false);
  });

  it("does not parse values over maxParseBytes, and says so", () => {
    const record = decodeValue(JSON.stringify("x".repeat(5 * MiB)), { maxParseBytes: MiB });
    expect(record.kind).toBe("text");
    expect(record.truncated).toBe(true);
    expect(record.problems.map((problem) => problem.code)).toEqual(["too-large-to-parse"]);
    expect(record.kind === "text" && record.text.length).toBe(DEFAULT_PREVIEW_BYTES);
  });

  it("cuts a long text on a character boundary", () => {
    const record = decodeValue("ü".repeat(40_000), { previewBytes: 1001 });
    expect(record.kind).toBe("text");
    if (record.kind !== "text") return;
    expect(record.truncated).toBe(true);
    expect(record.text).toBe("ü".repeat(500));
    expect(record.preview).toBe(record.text);
    expect(record.text).not.toContain("\uFFFD");
  });

  it("cuts the preview of a big JSON value on a character boundary", () => {
    const record = decodeValue(JSON.stringify("é".repeat(50_000)));
    expect(record.kind).toBe("json");
    // 1 byte for the quote, then 2-byte characters: 32,767 of them fit in 65,536 bytes.
    expect(record.preview).toBe(`"${"é".repeat(32_767)}`);
  });

  it("judges a long text by its preview only", () => {
    const value = new Uint8Array([...bytes("a".repeat(100)), 0xff]);
    expect(decodeValue(value, { previewBytes: 50 }).kind).toBe("text");
    expect(decodeValue(value, { previewBytes: 500 }).kind).toBe("binary");
  });
});

describe("decodeRecord: deep nesting", () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

  it("keeps JSON nested 10,000 levels deep as text, without throwing", () => {
    const text = nested(10_000);
    let record: DecodedRecord | undefined;
    expect(() => (record = decodeValue(text))).not.toThrow();
    expect(record?.kind).toBe("text");
    expect(record?.kind === "text" && record.text).toBe(text);
    expect(record?.problems.map((problem) => problem.code)).toEqual(["json-too-deep"]);
    expect(() => JSON.stringify(record)).not.toThrow();
  });

  it("keeps JSON at the depth limit as JSON, one level more as text", () => {
    expect(decodeValue(nested(MAX_JSON_DEPTH)).kind).toBe("json");
    expect(decodeValue(nested(MAX_JSON_DEPTH + 1)).kind).toBe("text");
    expect(decodeValue(`{"a":${nested(MAX_JSON_DEPTH)}}`).kind).toBe("text");
  });

  it("handles 100,000 levels in a value over the preview (kept as a preview only)", () => {
    const record = decodeValue(nested(100_000));
    expect(record.kind).toBe("json");
    expect(record.truncated).toBe(true);
    expect(record.kind === "json" && record.value).toBeUndefined();
  });

  it("keeps a deep key as text", () => {
    const record = decodeRecord(rawRecord(CREATE_VALUE, { key: bytes(nested(10_000)) }));
    expect(record.kind).toBe("change");
    expect(record.key.kind).toBe("text");
    expect(record.problems.map((problem) => problem.code)).toEqual(["json-too-deep"]);
  });
});

describe("decodeRecord never throws", () => {
  it("survives every prefix of a real event", () => {
    for (let end = 0; end < CREATE_VALUE.length; end++) {
      const record = decodeValue(CREATE_VALUE.slice(0, end));
      expect(KIND_OF_VALUES).toContain(record.kind);
      if (end > 0) expect(record.kind === "text" && record.problems[0]?.code).toBe("invalid-json");
    }
  });

  it("survives random bytes", () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = bytes('{}[]",:0123456789.-etrufnals \\u00e9"op"before"after"source');
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(next() * 200);
      const value = new Uint8Array(length);
      for (let j = 0; j < length; j++) value[j] = next() < 0.8 ? (alphabet[Math.floor(next() * alphabet.length)] ?? 0) : Math.floor(next() * 256);
      const key = next() < 0.5 ? null : value.subarray(0, Math.floor(length / 2));
      const record = decodeRecord(rawRecord(value, { key, headers: { h: value } }));
      expect(KIND_OF_VALUES).toContain(record.kind);
    }
  });

  it("turns input outside the types into a decoder-error record", () => {
    const record = decodeRecord(null as unknown as RawKafkaRecord);
    expect(record.kind).toBe("binary");
    expect(record.problems.map((problem) => problem.code)).toEqual(["decoder-error"]);
    const weird = decodeRecord({ ...rawRecord(CREATE_VALUE), headers: { attempt: 3 as unknown as string } });
    expect(weird.kind).toBe("change");
    expect(weird.problems.map((problem) => problem.code)).toEqual(["invalid-header"]);
  });
});

describe("decoders and options", () => {
  it("accepts Node Buffers, which the server passes", () => {
    const fromBuffer = decodeRecord(rawRecord(Buffer.from(CREATE_VALUE), { key: Buffer.from(CREATE_KEY), headers: { trace: Buffer.from("t-1") } }));
    const fromArray = decodeRecord(rawRecord(CREATE_VALUE, { headers: { trace: bytes("t-1") } }));
    expect(fromBuffer).toEqual(fromArray);
  });

  it("decodes alike through a prepared decoder and through decodeRecord", () => {
    const options = { previewBytes: 512, jsonbColumns: ["payload", "last_error"] };
    const decode = createRecordDecoder(options);
    for (const value of [CREATE_VALUE, FLATTENED_ROW_VALUE, "text", CONFLUENT_AVRO_VALUE]) {
      expect(decode(rawRecord(value))).toEqual(decodeRecord(rawRecord(value), options));
    }
    expect(decode(rawRecord(CREATE_VALUE)).truncated).toBe(true);
  });

  it("falls back to the defaults for sizes that make no sense", () => {
    for (const previewBytes of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const record = decodeValue(CREATE_VALUE, { previewBytes, maxParseBytes: previewBytes });
      expect(record.kind).toBe("change");
      expect(record.truncated).toBe(false);
    }
  });
});
