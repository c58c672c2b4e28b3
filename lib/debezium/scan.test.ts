import { describe, expect, it } from "vitest";
import { decodeRecord } from "./decode";
import {
  CONFLUENT_AVRO_VALUE,
  CREATE_VALUE,
  DELETE_VALUE,
  FLATTENED_ROW_VALUE,
  JSON_PATCH_VALUE,
  MESSAGE_VALUE,
  SCHEMA_WRAPPED_VALUE,
  SNAPSHOT_FIRST_VALUE,
  TOAST_UPDATE_VALUE,
  TRUNCATE_VALUE,
  UPDATE_FAILED_VALUE,
  UPDATE_PROCESSED_VALUE,
  bytes,
  rawRecord,
  withAfterColumns,
} from "./fixtures/records";
import { rawRecordSizeBytes } from "./record-size";
import { EVENT_TYPE_SEARCH_BYTES, MAX_EVENT_TYPE_BYTES, MAX_REMEMBERED_EVENT_TYPES, createChangeHeaderScanner, scanChangeHeader } from "./scan";

/** The schemaless envelope of an insert with `columns` as its whole `after` row. */
function insertWithRow(row: Record<string, unknown>, op = "c"): string {
  const envelope = JSON.parse(CREATE_VALUE) as Record<string, unknown>;
  return JSON.stringify({ ...envelope, after: row, op });
}

/** A schema-wrapped insert, built from the wrapped fixture: op "c", `after` replaced. */
function wrappedInsert(after: Record<string, unknown>): string {
  const wrapped = JSON.parse(SCHEMA_WRAPPED_VALUE) as { schema: unknown; payload: Record<string, unknown> };
  return JSON.stringify({ schema: wrapped.schema, payload: { ...wrapped.payload, before: null, after, op: "c" } });
}

describe("scanChangeHeader", () => {
  it("reads the op of every real envelope shape, and an insert's event type", () => {
    expect(scanChangeHeader(bytes(CREATE_VALUE))).toEqual({ op: "c", eventType: "UserCreated" });
    expect(scanChangeHeader(bytes(UPDATE_PROCESSED_VALUE))).toEqual({ op: "u", eventType: undefined });
    expect(scanChangeHeader(bytes(DELETE_VALUE))).toEqual({ op: "d", eventType: undefined });
    expect(scanChangeHeader(bytes(SNAPSHOT_FIRST_VALUE))).toEqual({ op: "r", eventType: undefined });
    expect(scanChangeHeader(bytes(TRUNCATE_VALUE))).toEqual({ op: "t", eventType: undefined });
    expect(scanChangeHeader(bytes(TOAST_UPDATE_VALUE))).toEqual({ op: "u", eventType: undefined });
  });

  it("agrees with the decoder on op and event type for every fixture", () => {
    const values = [CREATE_VALUE, UPDATE_PROCESSED_VALUE, UPDATE_FAILED_VALUE, DELETE_VALUE, SNAPSHOT_FIRST_VALUE, TRUNCATE_VALUE, TOAST_UPDATE_VALUE, SCHEMA_WRAPPED_VALUE, MESSAGE_VALUE, FLATTENED_ROW_VALUE, JSON_PATCH_VALUE];
    for (const value of values) {
      const decoded = decodeRecord(rawRecord(value));
      const scanned = scanChangeHeader(bytes(value));
      // Both sides as the tail labels them: a known op, or "other".
      const decodedOp = decoded.kind === "change" && decoded.op !== "unknown" ? decoded.op : "other";
      const scannedOp = scanned && scanned.op !== "unknown" ? scanned.op : "other";
      expect(scannedOp, value.slice(0, 60)).toBe(decodedOp);
      if (decoded.kind === "change" && decoded.op === "c") expect(scanned?.eventType).toBe(decoded.outbox.eventType);
    }
  });

  it("takes the envelope's op, not a row column named op (the last occurrence is the envelope's)", () => {
    const value = insertWithRow({ event_id: "e-1", op: "d", event_type: "OrderPlaced" });
    expect(value.indexOf('"op":"d"')).toBeLessThan(value.lastIndexOf('"op":"c"'));
    expect(scanChangeHeader(bytes(value))).toEqual({ op: "c", eventType: "OrderPlaced" });
    // An update whose rows both carry a column named op.
    const update = JSON.stringify({ ...(JSON.parse(UPDATE_PROCESSED_VALUE) as object), before: { op: "c" }, after: { op: "c" }, op: "u" });
    expect(scanChangeHeader(bytes(update))?.op).toBe("u");
  });

  it("is not fooled by an op inside a jsonb payload (an escaped string)", () => {
    const value = insertWithRow({ event_id: "e-1", event_type: "Audit", payload: JSON.stringify({ op: "d", source: {} }) });
    expect(scanChangeHeader(bytes(value))).toEqual({ op: "c", eventType: "Audit" });
  });

  it("reads schema-wrapped envelopes (op inside payload, after the schema)", () => {
    expect(scanChangeHeader(bytes(SCHEMA_WRAPPED_VALUE))).toEqual({ op: "u", eventType: undefined });
    const scanner = createChangeHeaderScanner("type");
    const insert = wrappedInsert({ id: 7, op: "d", type: "CartCreated", status: "pending" });
    expect(scanner(bytes(insert))).toEqual({ op: "c", eventType: "CartCreated" });
    // The schema names the column as a value ("field":"type"), which is not the row's key.
    expect(scanner(bytes(wrappedInsert({ id: 7, status: "pending" })))).toEqual({ op: "c", eventType: undefined });
  });

  it("uses the configured event type column", () => {
    const value = insertWithRow({ event_id: "e-1", kind: "InvoiceSent", event_type: "NotThisOne" });
    expect(createChangeHeaderScanner("kind")(bytes(value))).toEqual({ op: "c", eventType: "InvoiceSent" });
  });

  it("returns null for tombstones and values that are not envelopes", () => {
    expect(scanChangeHeader(null)).toBeNull();
    expect(scanChangeHeader(new Uint8Array(0))).toBeNull();
    expect(scanChangeHeader(bytes("plain text"))).toBeNull();
    expect(scanChangeHeader(CONFLUENT_AVRO_VALUE)).toBeNull();
    expect(scanChangeHeader(bytes(FLATTENED_ROW_VALUE))).toBeNull();
    // Application JSON with an op of its own does not start with a row image.
    expect(scanChangeHeader(bytes('{"op":"c","path":"/email"}'))).toBeNull();
    expect(scanChangeHeader(bytes(JSON_PATCH_VALUE))).toBeNull();
    // Cut off inside the op's value.
    expect(scanChangeHeader(bytes('{"before":null,"source":{},"op":"c'))).toBeNull();
    // A wrapper whose payload is not an envelope.
    expect(scanChangeHeader(bytes('{"schema":{"type":"struct"},"payload":{"op":"c","path":"/x"}}'))).toBeNull();
  });

  it("reports an op it does not know as unknown", () => {
    expect(scanChangeHeader(bytes(insertWithRow({ event_id: "e-1" }, "x")))?.op).toBe("unknown");
    expect(scanChangeHeader(bytes(insertWithRow({ event_id: "e-1" }, "cc")))?.op).toBe("unknown");
    expect(scanChangeHeader(bytes(MESSAGE_VALUE))).toBeNull();
  });

  it("reads escaped and non-ASCII event types, and bounds them", () => {
    expect(scanChangeHeader(bytes(insertWithRow({ event_type: 'Quote"d\\' })))?.eventType).toBe('Quote"d\\');
    expect(scanChangeHeader(bytes(insertWithRow({ event_type: "Bestellung_geändert_✓" })))?.eventType).toBe("Bestellung_geändert_✓");
    expect(scanChangeHeader(bytes(insertWithRow({ event_type: "" })))?.eventType).toBe("");
    expect(scanChangeHeader(bytes(insertWithRow({ event_type: null })))?.eventType).toBeUndefined();
    expect(scanChangeHeader(bytes(insertWithRow({ event_type: "x".repeat(MAX_EVENT_TYPE_BYTES) })))?.eventType).toHaveLength(MAX_EVENT_TYPE_BYTES);
    expect(scanChangeHeader(bytes(insertWithRow({ event_type: "x".repeat(MAX_EVENT_TYPE_BYTES + 1) })))?.eventType).toBeUndefined();
  });

  it("looks for the event type only within the first EVENT_TYPE_SEARCH_BYTES", () => {
    const near = insertWithRow({ payload: "p".repeat(EVENT_TYPE_SEARCH_BYTES - 200), event_type: "Near" });
    const far = insertWithRow({ payload: "p".repeat(EVENT_TYPE_SEARCH_BYTES), event_type: "Far" });
    expect(scanChangeHeader(bytes(near))).toEqual({ op: "c", eventType: "Near" });
    expect(scanChangeHeader(bytes(far))).toEqual({ op: "c", eventType: undefined });
  });

  it("answers an event type seen before with the same string, and every type exactly however many there are", () => {
    const scanner = createChangeHeaderScanner("event_type");
    const first = scanner(bytes(insertWithRow({ event_id: "e-1", event_type: "OrderPlaced" })));
    const again = scanner(bytes(insertWithRow({ event_id: "e-2", event_type: "OrderPlaced" })));
    expect(again).toBe(first);
    expect(scanner(bytes(insertWithRow({ event_id: "e-3", event_type: "OrderPlacedX" })))).toEqual({ op: "c", eventType: "OrderPlacedX" });
    // More types than are remembered: the memory starts afresh, the answers stay right.
    for (let i = 0; i < MAX_REMEMBERED_EVENT_TYPES * 2 + 5; i++) {
      const type = `Type${i}`;
      expect(scanner(bytes(insertWithRow({ event_id: `e-${i}`, event_type: type })))?.eventType).toBe(type);
      expect(scanner(bytes(insertWithRow({ event_id: `f-${i}`, event_type: type })))?.eventType).toBe(type);
    }
    expect(scanner(bytes(insertWithRow({ event_id: "e-4", event_type: "OrderPlaced" })))).toEqual({ op: "c", eventType: "OrderPlaced" });
  });

  it("remembers an event type by a copy of its bytes, not a view of the value (which is a view of a whole fetch response)", () => {
    const scanner = createChangeHeaderScanner("event_type");
    const value = Buffer.from(insertWithRow({ event_id: "e-1", event_type: "OrderPlaced" }));
    const first = scanner(value);
    // The response's memory is reused or changed: what was remembered must not change with it.
    value.write("X", value.indexOf("OrderPlaced"));
    expect(scanner(bytes(insertWithRow({ event_id: "e-2", event_type: "OrderPlaced" })))).toBe(first);
  });

  it("reads the op of a big value (the op is near its end)", () => {
    const big = withAfterColumns(CREATE_VALUE, { payload: JSON.stringify({ blob: "b".repeat(2_000_000) }) });
    expect(scanChangeHeader(bytes(big))).toEqual({ op: "c", eventType: "UserCreated" });
  });
});

describe("rawRecordSizeBytes", () => {
  it("is the decoder's sizeBytes, without decoding", () => {
    const records = [
      rawRecord(CREATE_VALUE),
      rawRecord(null),
      rawRecord(CONFLUENT_AVRO_VALUE, { key: null }),
      rawRecord(CREATE_VALUE, { headers: { traceparent: bytes("00-abc-def-01"), "ünï": "çödé", multi: [bytes("a"), "bb"], empty: undefined } }),
    ];
    for (const record of records) expect(rawRecordSizeBytes(record)).toBe(decodeRecord(record).sizeBytes);
  });
});
