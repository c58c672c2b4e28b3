import { describe, expect, it } from "vitest";
import { decodeRecord } from "./decode";
import { CREATE_KEY, CREATE_VALUE, EVENT_ID, bytes, rawRecord } from "./fixtures/records";
import { keyField } from "./key";
import type { DecodedKey } from "./types";

function keyOf(key: Uint8Array | null, previewBytes?: number): DecodedKey {
  return decodeRecord(rawRecord(CREATE_VALUE, { key }), previewBytes === undefined ? undefined : { previewBytes }).key;
}

describe("record keys", () => {
  it("parses a Debezium JSON key", () => {
    expect(keyOf(bytes(CREATE_KEY))).toEqual({ kind: "json", value: { event_id: EVENT_ID }, schemaWrapped: false, sizeBytes: 51 });
  });

  it("reads a plain uuid key (StringConverter) as text, also when it starts with a digit", () => {
    expect(keyOf(bytes(EVENT_ID))).toEqual({ kind: "text", text: EVENT_ID, truncated: false, sizeBytes: 36 });
    const digitFirst = "5f0c1d2e-8b7a-4c3d-9e2f-1a2b3c4d5e6f";
    const record = decodeRecord(rawRecord(CREATE_VALUE, { key: bytes(digitFirst) }));
    expect(record.key).toEqual({ kind: "text", text: digitFirst, truncated: false, sizeBytes: 36 });
    expect(record.problems).toEqual([]);
  });

  it("reads a numeric key as JSON", () => {
    expect(keyOf(bytes("42"))).toEqual({ kind: "json", value: 42, schemaWrapped: false, sizeBytes: 2 });
  });

  it("reads a binary key (a raw 16-byte uuid) as hex", () => {
    const uuid = new Uint8Array([0xa9, 0x65, 0x9e, 0xcb, 0x49, 0x66, 0x48, 0x45, 0x9b, 0xcb, 0x34, 0x47, 0x66, 0xd7, 0x3c, 0x17]);
    expect(keyOf(uuid)).toEqual({ kind: "binary", hex: "a9659ecb496648459bcb344766d73c17", truncated: false, sizeBytes: 16 });
  });

  it("reads null and empty keys", () => {
    expect(keyOf(null)).toEqual({ kind: "null", sizeBytes: 0 });
    expect(keyOf(new Uint8Array())).toEqual({ kind: "text", text: "", truncated: false, sizeBytes: 0 });
  });

  it("does not parse a key longer than previewBytes, and cuts it", () => {
    const long = JSON.stringify({ event_id: "x".repeat(200) });
    expect(keyOf(bytes(long), 64)).toEqual({ kind: "text", text: long.slice(0, 64), truncated: true, sizeBytes: long.length });
  });

  it("reads a field of a JSON key as text", () => {
    expect(keyField(keyOf(bytes(CREATE_KEY)), "event_id")).toBe(EVENT_ID);
    expect(keyField(keyOf(bytes('{"id":42}')), "id")).toBe("42");
    expect(keyField(keyOf(bytes('{"id":{"nested":1}}')), "id")).toBeUndefined();
    expect(keyField(keyOf(bytes(EVENT_ID)), "event_id")).toBeUndefined();
    expect(keyField(keyOf(bytes(CREATE_KEY)), "constructor")).toBeUndefined();
  });
});

describe("record headers", () => {
  const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const headers = {
    traceparent: bytes(traceparent),
    "message-id": new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0xff]),
    "x-retry": ["1", bytes("2")],
    "x-empty": undefined,
    "x-source": "outbox-lens",
  };

  it("decodes text and binary headers in order, a repeated key once per value", () => {
    const record = decodeRecord(rawRecord(CREATE_VALUE, { headers }));
    expect(record.headers).toEqual([
      { key: "traceparent", kind: "text", text: traceparent, truncated: false, sizeBytes: 11 + 55 },
      { key: "message-id", kind: "binary", hex: "deadbeefff", truncated: false, sizeBytes: 10 + 5 },
      { key: "x-retry", kind: "text", text: "1", truncated: false, sizeBytes: 7 + 1 },
      { key: "x-retry", kind: "text", text: "2", truncated: false, sizeBytes: 7 + 1 },
      { key: "x-empty", kind: "null", sizeBytes: 7 },
      { key: "x-source", kind: "text", text: "outbox-lens", truncated: false, sizeBytes: 8 + 11 },
    ]);
    expect(record.problems).toEqual([]);
  });

  it("counts headers in the record size", () => {
    const record = decodeRecord(rawRecord(CREATE_VALUE, { headers }));
    const headerBytes = 66 + 15 + 8 + 8 + 7 + 19;
    expect(record.sizeBytes).toBe(bytes(CREATE_KEY).length + bytes(CREATE_VALUE).length + headerBytes);
  });

  it("counts multi-byte header keys and values in UTF-8 bytes", () => {
    const record = decodeRecord(rawRecord(CREATE_VALUE, { headers: { "zürich": "café" } }));
    expect(record.headers[0]?.sizeBytes).toBe(7 + 5);
  });

  it("cuts long header values to previewBytes", () => {
    const record = decodeRecord(rawRecord(CREATE_VALUE, { headers: { big: bytes("h".repeat(5000)), bigText: "s".repeat(5000) } }), { previewBytes: 1000 });
    expect(record.headers[0]).toMatchObject({ kind: "text", truncated: true, sizeBytes: 3 + 5000 });
    expect(record.headers[0]?.kind === "text" && record.headers[0].text.length).toBe(1000);
    expect(record.headers[1]?.kind === "text" && record.headers[1].text.length).toBe(1000);
  });

  it("accepts a record without headers", () => {
    const record = decodeRecord({ ...rawRecord(CREATE_VALUE), headers: undefined });
    expect(record.headers).toEqual([]);
  });
});
