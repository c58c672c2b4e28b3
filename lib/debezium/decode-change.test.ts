import { describe, expect, it } from "vitest";
import { decodeRecord } from "./decode";
import {
  CREATE_KAFKA_TIMESTAMP,
  CREATE_KEY,
  CREATE_VALUE,
  DELETE_KAFKA_TIMESTAMP,
  DELETE_VALUE,
  EVENT_ID,
  JSON_PATCH_VALUE,
  MESSAGE_VALUE,
  SCHEMA_WRAPPED_KEY,
  SCHEMA_WRAPPED_VALUE,
  SNAPSHOT_FIRST_VALUE,
  SNAPSHOT_LAST_VALUE,
  SNAPSHOT_MIDDLE_VALUE,
  TOAST_UPDATE_VALUE,
  TRUNCATE_KAFKA_TIMESTAMP,
  TRUNCATE_VALUE,
  UPDATE_FAILED_VALUE,
  UPDATE_PROCESSED_VALUE,
  bytes,
  rawRecord,
  withAfterColumns,
} from "./fixtures/records";
import { UNAVAILABLE_CELL, isUnavailableCell } from "./row-image";
import type { ChangeRecord, DecodeOptions, DecodedRecord, RawKafkaRecord } from "./types";

const CREATED_AT_MS = Date.UTC(2026, 10, 27, 16, 18, 36, 793) + 0.281;
const PROCESSED_AT_MS = Date.UTC(2026, 10, 27, 16, 18, 36, 958) + 0.17;

function change(value: string, overrides: Partial<RawKafkaRecord> = {}, options?: DecodeOptions): ChangeRecord {
  const record: DecodedRecord = decodeRecord(rawRecord(value, overrides), options);
  if (record.kind !== "change") throw new Error(`expected a change record, got ${record.kind}: ${JSON.stringify(record.problems)}`);
  return record;
}

describe("decodeRecord: the real create event from the stack", () => {
  const record = change(CREATE_VALUE);

  it("is a clean, untruncated create", () => {
    expect(record.kind).toBe("change");
    expect(record.op).toBe("c");
    expect(record.opLabel).toBe("create");
    expect(record.rawOp).toBe("c");
    expect(record.problems).toEqual([]);
    expect(record.truncated).toBe(false);
    expect(record.preview).toBeUndefined();
    expect(record.schemaWrapped).toBe(false);
    expect(record.columnSchemas).toBeNull();
  });

  it("carries the Kafka coordinates and sizes", () => {
    expect(record).toMatchObject({ topic: "postgres.activity.event_outbox", partition: 1, offset: "4711", timestamp: CREATE_KAFKA_TIMESTAMP });
    expect(record.valueSizeBytes).toBe(bytes(CREATE_VALUE).length);
    expect(record.sizeBytes).toBe(bytes(CREATE_KEY).length + bytes(CREATE_VALUE).length);
  });

  it("decodes the key", () => {
    expect(record.key).toEqual({ kind: "json", value: { event_id: EVENT_ID }, schemaWrapped: false, sizeBytes: 51 });
  });

  it("has no before image and parses the jsonb payload of the after image", () => {
    expect(record.before).toBeNull();
    expect(record.beforeNotes).toBeNull();
    expect(record.after?.payload).toEqual({ email: "x@y.z" });
    expect(record.after?.status).toBe("pending");
    expect(record.after?.processed_at).toBeNull();
    expect(record.afterNotes).toEqual({
      unavailableColumns: [],
      jsonbColumns: [{ column: "payload", textLength: '{"email": "x@y.z"}'.length, status: "parsed" }],
      omittedColumns: [],
    });
  });

  it("normalizes the source block", () => {
    expect(record.source).toEqual({
      connector: "postgresql",
      name: "postgres",
      version: "3.6.1.Final",
      db: "activity",
      schema: "activity",
      table: "event_outbox",
      lsn: 26550232,
      txId: 728,
      tsMs: 1795796316798,
      tsUs: 1795796316798323,
      sequence: '[null,"26550232"]',
      snapshot: "false",
      isSnapshot: false,
    });
    expect(record.tsMs).toBe(1795796316907);
    expect(record.tsUs).toBe(1795796316907455);
    expect(record.transaction).toBeNull();
  });

  it("reads the outbox fields through the default column mapping", () => {
    expect(record.outbox.eventId).toBe(EVENT_ID);
    expect(record.outbox.createdAtMs).toBeCloseTo(CREATED_AT_MS, 6);
    expect(record.outbox.processedAtMs).toBeUndefined();
    expect(record.outbox).toMatchObject({ status: "pending", eventType: "UserCreated", aggregateType: "User", aggregateId: "a1" });
  });

  it("survives a JSON round trip unchanged, as it crosses the socket", () => {
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});

describe("decodeRecord: the processor's updates", () => {
  it("reads a processed update with both images", () => {
    const record = change(UPDATE_PROCESSED_VALUE);
    expect(record.op).toBe("u");
    expect(record.opLabel).toBe("update");
    expect(record.before?.status).toBe("pending");
    expect(record.after?.status).toBe("processed");
    expect(record.before?.payload).toEqual({ email: "x@y.z" });
    expect(record.beforeNotes?.jsonbColumns).toEqual([{ column: "payload", textLength: 18, status: "parsed" }]);
    expect(record.outbox.status).toBe("processed");
    expect(record.outbox.processedAtMs).toBeCloseTo(PROCESSED_AT_MS, 6);
    expect(record.outbox.createdAtMs).toBeCloseTo(CREATED_AT_MS, 6);
    expect(record.source?.sequence).toBe('["26550408","26550680"]');
  });

  it("reads a failed update: no processed_at, the error in the row", () => {
    const record = change(UPDATE_FAILED_VALUE);
    expect(record.outbox.status).toBe("failed");
    expect(record.outbox.processedAtMs).toBeUndefined();
    expect(record.after?.last_error).toBe("card declined");
    expect(record.after?.payload).toEqual({ total: 42.5, simulateFailure: "card declined" });
  });
});

describe("decodeRecord: delete and tombstone", () => {
  it("reads a delete from its before image", () => {
    const record = change(DELETE_VALUE, { timestamp: DELETE_KAFKA_TIMESTAMP });
    expect(record.op).toBe("d");
    expect(record.opLabel).toBe("delete");
    expect(record.after).toBeNull();
    expect(record.afterNotes).toBeNull();
    expect(record.before?.event_id).toBe(EVENT_ID);
    expect(record.outbox.eventId).toBe(EVENT_ID);
    expect(record.outbox.status).toBe("processed");
    expect(record.outbox.processedAtMs).toBeCloseTo(PROCESSED_AT_MS, 6);
  });

  it("reads the tombstone that follows as a tombstone, with the event id from the key", () => {
    const record = decodeRecord(rawRecord(null, { timestamp: DELETE_KAFKA_TIMESTAMP }));
    expect(record.kind).toBe("tombstone");
    if (record.kind !== "tombstone") return;
    expect(record.eventId).toBe(EVENT_ID);
    expect(record.valueSizeBytes).toBe(0);
    expect(record.sizeBytes).toBe(bytes(CREATE_KEY).length);
    expect(record.truncated).toBe(false);
    expect(record.problems).toEqual([]);
  });

  it("reads the event id of a tombstone through the configured column", () => {
    const record = decodeRecord(rawRecord(null, { key: bytes('{"id":"e-1"}') }), { columns: { eventId: "id" } });
    expect(record.kind === "tombstone" && record.eventId).toBe("e-1");
    const unmapped = decodeRecord(rawRecord(null, { key: bytes('{"id":"e-1"}') }));
    expect(unmapped.kind === "tombstone" && unmapped.eventId).toBeUndefined();
  });
});

describe("decodeRecord: snapshot reads", () => {
  it.each([
    [SNAPSHOT_FIRST_VALUE, "first"],
    [SNAPSHOT_MIDDLE_VALUE, "true"],
    [SNAPSHOT_LAST_VALUE, "last"],
  ])("marks a snapshot read (%#) with Debezium's marker and isSnapshot", (value, marker) => {
    const record = change(value);
    expect(record.op).toBe("r");
    expect(record.opLabel).toBe("snapshot read");
    expect(record.source?.snapshot).toBe(marker);
    expect(record.source?.isSnapshot).toBe(true);
    expect(record.after).not.toBeNull();
  });

  it("reads the boolean snapshot field of Debezium 1.x", () => {
    const old = JSON.parse(SNAPSHOT_MIDDLE_VALUE) as { source: Record<string, unknown> };
    old.source.snapshot = true;
    expect(change(JSON.stringify(old)).source).toMatchObject({ snapshot: "true", isSnapshot: true });
    old.source.snapshot = false;
    expect(change(JSON.stringify(old)).source).toMatchObject({ snapshot: "false", isSnapshot: false });
  });

  it("counts an incremental snapshot read as a snapshot", () => {
    const incremental = JSON.parse(SNAPSHOT_MIDDLE_VALUE) as { source: Record<string, unknown> };
    incremental.source.snapshot = "incremental";
    expect(change(JSON.stringify(incremental)).source?.isSnapshot).toBe(true);
  });
});

describe("decodeRecord: truncate", () => {
  it("has no row images, no outbox fields, and a null key", () => {
    const record = change(TRUNCATE_VALUE, { key: null, timestamp: TRUNCATE_KAFKA_TIMESTAMP });
    expect(record.op).toBe("t");
    expect(record.opLabel).toBe("truncate");
    expect(record.before).toBeNull();
    expect(record.after).toBeNull();
    expect(record.key).toEqual({ kind: "null", sizeBytes: 0 });
    expect(Object.values(record.outbox).every((field) => field === undefined)).toBe(true);
    expect(record.source?.table).toBe("event_outbox");
    expect(record.problems).toEqual([]);
  });
});

describe("decodeRecord: schemas.enable=true", () => {
  const record = change(SCHEMA_WRAPPED_VALUE, { key: bytes(SCHEMA_WRAPPED_KEY), topic: "shop.public.outbox" }, { columns: { eventId: "id", eventType: "type" } });

  it("unwraps the envelope and the key", () => {
    expect(record.schemaWrapped).toBe(true);
    expect(record.op).toBe("u");
    expect(record.key).toEqual({ kind: "json", value: { id: 42 }, schemaWrapped: true, sizeBytes: bytes(SCHEMA_WRAPPED_KEY).length });
    expect(record.source).toMatchObject({ name: "shop", db: "shop", schema: "public", table: "outbox", txId: 1207 });
    expect(record.problems).toEqual([]);
  });

  it("keeps the column schemas", () => {
    expect(record.columnSchemas?.created_at).toEqual({ type: "int64", name: "io.debezium.time.MicroTimestamp", optional: false });
    expect(record.columnSchemas?.processed_at).toEqual({ type: "string", name: "io.debezium.time.ZonedTimestamp", optional: true });
    expect(record.columnSchemas?.id).toEqual({ type: "int64", name: undefined, optional: false });
    expect(Object.keys(record.columnSchemas ?? {})).toHaveLength(8);
  });

  it("parses io.debezium.data.Json columns although they are not in jsonbColumns", () => {
    expect(record.after?.body).toEqual({ items: [{ sku: "A-1", qty: 2 }], total: 19.9 });
    expect(record.before?.body).toEqual({ items: [{ sku: "A-1", qty: 2 }], total: 19.9 });
    expect(record.afterNotes?.jsonbColumns.map((note) => note.column)).toEqual(["body"]);
  });

  it("converts timestamps by their schema: MicroTimestamp and ZonedTimestamp", () => {
    expect(record.outbox.createdAtMs).toBeCloseTo(1795796400123.456, 3);
    expect(record.outbox.processedAtMs).toBeCloseTo(Date.UTC(2026, 10, 27, 16, 20, 0, 250) + 0.812, 6);
  });

  it("reads the outbox fields through a custom mapping, numeric ids as text", () => {
    expect(record.outbox).toMatchObject({ eventId: "42", eventType: "CartCheckedOut", aggregateType: "Cart", aggregateId: "c-118", status: "processed" });
  });

  it("normalizes the transaction block", () => {
    expect(record.transaction).toEqual({ id: "1207:40213176", totalOrder: 1, dataCollectionOrder: 1 });
  });

  it("reads a schema-wrapped create the same way as a bare one", () => {
    const bare = change(CREATE_VALUE);
    const wrapped = change(JSON.stringify({ schema: { type: "struct", fields: [], optional: false, name: "x.Envelope" }, payload: JSON.parse(CREATE_VALUE) as unknown }));
    expect(wrapped.schemaWrapped).toBe(true);
    expect(wrapped.columnSchemas).toBeNull();
    expect(wrapped.outbox).toEqual(bare.outbox);
    expect(wrapped.after).toEqual(bare.after);
  });
});

describe("decodeRecord: timestamps without a schema", () => {
  const millis = Date.UTC(2026, 10, 27, 16, 18, 36, 793);

  it.each([
    ["epoch millis (time.precision.mode=connect)", millis, millis],
    ["epoch micros (MicroTimestamp)", millis * 1000 + 281, CREATED_AT_MS],
    ["epoch nanos (NanoTimestamp)", (millis * 1000 + 281) * 1000, CREATED_AT_MS],
    ["ISO with offset", "2026-11-27T17:18:36.793281+01:00", CREATED_AT_MS],
  ])("reads created_at as %s", (_, createdAt, expected) => {
    const record = change(withAfterColumns(CREATE_VALUE, { created_at: createdAt }));
    expect(record.outbox.createdAtMs).toBeCloseTo(expected, 2);
  });

  it("gives undefined for a created_at that is no point in time", () => {
    expect(change(withAfterColumns(CREATE_VALUE, { created_at: "yesterday" })).outbox.createdAtMs).toBeUndefined();
    expect(change(withAfterColumns(CREATE_VALUE, { created_at: null })).outbox.createdAtMs).toBeUndefined();
    expect(change(withAfterColumns(CREATE_VALUE, { created_at: { seconds: 1 } })).outbox.createdAtMs).toBeUndefined();
  });
});

describe("decodeRecord: unchanged TOAST values", () => {
  it("replaces the placeholder by the unavailable marker and lists the column", () => {
    const record = change(TOAST_UPDATE_VALUE);
    expect(record.after?.payload).toBe(UNAVAILABLE_CELL);
    expect(isUnavailableCell(record.after?.payload)).toBe(true);
    expect(record.after?.payload).toEqual({ unavailable: true });
    expect(record.afterNotes?.unavailableColumns).toEqual(["payload"]);
    // A TOASTed jsonb column is not parsed: the placeholder is not JSON, and no problem is raised.
    expect(record.afterNotes?.jsonbColumns).toEqual([]);
    expect(record.problems).toEqual([]);
    expect(record.before).toBeNull();
    expect(record.outbox.status).toBe("processed");
  });

  it("marks placeholders in any column, and a column mapped to one reads as undefined", () => {
    const record = change(withAfterColumns(CREATE_VALUE, { last_error: "__debezium_unavailable_value", status: "__debezium_unavailable_value" }));
    expect(record.afterNotes?.unavailableColumns).toEqual(["status", "last_error"]);
    expect(isUnavailableCell(record.after?.last_error)).toBe(true);
    expect(record.outbox.status).toBeUndefined();
  });

  it("uses the configured placeholder", () => {
    const value = withAfterColumns(CREATE_VALUE, { last_error: "<toasted>" });
    expect(isUnavailableCell(change(value, {}, { unavailableValuePlaceholder: "<toasted>" }).after?.last_error)).toBe(true);
    expect(change(value).after?.last_error).toBe("<toasted>");
  });

  it("does not take jsonb data that looks like the marker for the marker", () => {
    const record = change(withAfterColumns(CREATE_VALUE, { payload: '{"unavailable": true}' }));
    expect(record.after?.payload).toEqual({ unavailable: true });
    expect(isUnavailableCell(record.after?.payload)).toBe(false);
    expect(record.afterNotes?.unavailableColumns).toEqual([]);
  });
});

describe("decodeRecord: jsonb columns", () => {
  it("keeps a jsonb text that is not JSON as the string, and flags it", () => {
    const text = '{"email": "x@y.z"';
    const record = change(withAfterColumns(CREATE_VALUE, { payload: text }));
    expect(record.after?.payload).toBe(text);
    expect(record.afterNotes?.jsonbColumns).toEqual([{ column: "payload", textLength: text.length, status: "invalid" }]);
    expect(record.problems).toHaveLength(1);
    expect(record.problems[0]?.code).toBe("invalid-jsonb");
    expect(record.problems[0]?.detail).toContain("after.payload");
  });

  it("parses jsonb scalars and arrays, not only objects", () => {
    expect(change(withAfterColumns(CREATE_VALUE, { payload: "[1, 2]" })).after?.payload).toEqual([1, 2]);
    expect(change(withAfterColumns(CREATE_VALUE, { payload: '"text"' })).after?.payload).toBe("text");
    expect(change(withAfterColumns(CREATE_VALUE, { payload: "null" })).after?.payload).toBeNull();
  });

  it("leaves a jsonb column alone when it is null or already an object", () => {
    const record = change(withAfterColumns(CREATE_VALUE, { payload: { already: "parsed" } }));
    expect(record.after?.payload).toEqual({ already: "parsed" });
    expect(record.afterNotes?.jsonbColumns).toEqual([]);
    expect(change(withAfterColumns(CREATE_VALUE, { payload: null })).after?.payload).toBeNull();
  });

  it("parses exactly the configured columns", () => {
    const value = withAfterColumns(CREATE_VALUE, { last_error: '{"code": 503}' });
    const none = change(value, {}, { jsonbColumns: [] });
    expect(none.after?.payload).toBe('{"email": "x@y.z"}');
    const both = change(value, {}, { jsonbColumns: ["payload", "last_error"] });
    expect(both.after?.last_error).toEqual({ code: 503 });
    expect(both.after?.payload).toEqual({ email: "x@y.z" });
  });

  it("keeps a jsonb text nested 10,000 levels deep as text, without throwing", () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const record = change(withAfterColumns(CREATE_VALUE, { payload: deep }));
    expect(record.after?.payload).toBe(deep);
    expect(record.afterNotes?.jsonbColumns).toEqual([{ column: "payload", textLength: 20_000, status: "too-deep" }]);
    expect(record.problems.map((problem) => problem.code)).toEqual(["json-too-deep"]);
    expect(() => JSON.stringify(record)).not.toThrow();
  });

  it("omits a non-jsonb cell nested too deep to send on", () => {
    const deep = JSON.parse("[".repeat(1_000) + "]".repeat(1_000)) as unknown;
    const record = change(withAfterColumns(CREATE_VALUE, { tags: deep }));
    expect(record.after?.tags).toEqual({ omitted: "too-deep" });
    expect(record.afterNotes?.omittedColumns).toEqual(["tags"]);
    expect(record.problems[0]?.code).toBe("json-too-deep");
    expect(() => JSON.stringify(record)).not.toThrow();
  });
});

describe("decodeRecord: column mapping", () => {
  it("reads renamed columns and ignores the defaults", () => {
    const value = JSON.stringify({
      before: null,
      after: { id: "e-9", kind: "OrderShipped", state: "processed", inserted_at: "2026-11-27T16:18:36Z", done_at: 1795796317000000, agg: "Order", agg_id: 77 },
      source: { connector: "postgresql", ts_ms: 1795796317001 },
      op: "c",
      ts_ms: 1795796317002,
    });
    const record = change(value, {}, {
      columns: { eventId: "id", eventType: "kind", status: "state", createdAt: "inserted_at", processedAt: "done_at", aggregateType: "agg", aggregateId: "agg_id" },
    });
    expect(record.outbox).toEqual({
      eventId: "e-9",
      eventType: "OrderShipped",
      status: "processed",
      createdAtMs: Date.UTC(2026, 10, 27, 16, 18, 36),
      processedAtMs: 1795796317000,
      aggregateType: "Order",
      aggregateId: "77",
    });
  });

  it("does not read Object.prototype members for columns named like them", () => {
    const record = change(CREATE_VALUE, {}, { columns: { eventId: "constructor", status: "__proto__", eventType: "toString" } });
    expect(record.outbox.eventId).toBeUndefined();
    expect(record.outbox.status).toBeUndefined();
    expect(record.outbox.eventType).toBeUndefined();
  });

  it("keeps a __proto__ column as data, never as the row's prototype", () => {
    const record = change('{"before":null,"after":{"__proto__":"__debezium_unavailable_value","event_id":"e"},"source":{},"op":"c"}');
    expect(Object.getPrototypeOf(record.after)).toBe(Object.prototype);
    expect(record.afterNotes?.unavailableColumns).toEqual(["__proto__"]);
    expect(Object.hasOwn(record.after ?? {}, "__proto__")).toBe(true);
  });
});

describe("decodeRecord: unknown and malformed envelopes", () => {
  it("keeps an envelope with an unknown op as a change with op 'unknown', and says so", () => {
    const record = change(MESSAGE_VALUE);
    expect(record.op).toBe("unknown");
    expect(record.opLabel).toBe("unknown");
    expect(record.rawOp).toBe("m");
    expect(record.before).toBeNull();
    expect(record.after).toBeNull();
    expect(record.source?.tsMs).toBe(1795796400998);
    expect(record.tsMs).toBe(1795796401000);
    expect(record.problems).toEqual([{ code: "unknown-op", detail: 'unknown Debezium op "m"' }]);
  });

  it("does not take application JSON with its own op field for an envelope", () => {
    const record = decodeRecord(rawRecord(JSON_PATCH_VALUE));
    expect(record.kind).toBe("json");
    expect(record.kind === "json" && record.value).toEqual({ op: "replace", path: "/email", value: "y@z.a" });
    expect(record.problems).toEqual([]);
  });

  it("reads an image that is not an object as null, with a problem", () => {
    const record = change('{"before":null,"after":"oops","source":{"connector":"postgresql"},"op":"c","ts_ms":1}');
    expect(record.after).toBeNull();
    expect(record.afterNotes).toBeNull();
    expect(record.problems).toEqual([{ code: "invalid-image", detail: "after is a string, not an object; read as null" }]);
  });

  it("reads a source that is not an object as null, with a problem", () => {
    const record = change('{"before":null,"after":{"event_id":"e"},"source":[1],"op":"c"}');
    expect(record.source).toBeNull();
    expect(record.problems.map((problem) => problem.code)).toEqual(["invalid-source"]);
    expect(record.outbox.eventId).toBe("e");
  });

  it("ignores source fields of the wrong type instead of passing them on", () => {
    const record = change('{"before":null,"after":null,"source":{"lsn":"0/1951FD8","txId":null,"ts_ms":"soon","snapshot":7},"op":"t"}');
    expect(record.source).toMatchObject({ lsn: undefined, txId: undefined, tsMs: undefined, snapshot: undefined, isSnapshot: false });
  });
});
