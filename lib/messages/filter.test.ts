import { describe, expect, it } from "vitest";
import { messageFilterSchema, type MessageFilter } from "@/lib/contracts/message-filter";
import { decodeRecord, type RawKafkaRecord } from "@/lib/debezium";
import { CREATE_KEY, CREATE_VALUE, DELETE_VALUE, EVENT_ID, SCHEMA_WRAPPED_KEY, SCHEMA_WRAPPED_VALUE, TOAST_UPDATE_VALUE, TOPIC, UPDATE_FAILED_VALUE, UPDATE_PROCESSED_VALUE } from "@/lib/debezium/fixtures/records";
import { asciiCaseInsensitiveSearch, compileMessageFilter, parseJsonPath, recordOp } from "./filter";

function raw(value: string | Uint8Array | null, key: string | null = CREATE_KEY, headers?: RawKafkaRecord["headers"]): RawKafkaRecord {
  return {
    topic: TOPIC,
    partition: 1,
    offset: "7",
    timestamp: 1,
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : typeof value === "string" ? Buffer.from(value) : value,
    headers,
  };
}

/** Whether the filter matches, through both steps, and that the raw step never rejects a match. */
function matches(filter: MessageFilter, record: RawKafkaRecord): boolean {
  const compiled = compileMessageFilter(messageFilterSchema.parse(filter));
  const decoded = compiled.matches(decodeRecord(record), record);
  if (decoded) expect(compiled.rawCheck(record)).toBe(true);
  return decoded && compiled.rawCheck(record);
}

const create = raw(CREATE_VALUE);
const processed = raw(UPDATE_PROCESSED_VALUE);
const failed = raw(UPDATE_FAILED_VALUE, `{"event_id":"5f0c1d2e-8b7a-4c3d-9e2f-1a2b3c4d5e6f"}`);

describe("compileMessageFilter", () => {
  it("matches everything when empty", () => {
    expect(compileMessageFilter({}).empty).toBe(true);
    expect(matches({}, raw("not json at all"))).toBe(true);
  });

  it("filters by op, tombstone and other", () => {
    expect(matches({ op: ["c"] }, create)).toBe(true);
    expect(matches({ op: ["u", "d"] }, create)).toBe(false);
    expect(matches({ op: ["u"] }, processed)).toBe(true);
    expect(matches({ op: ["tombstone"] }, raw(null))).toBe(true);
    expect(matches({ op: ["other"] }, raw("<b>hi</b>"))).toBe(true);
    expect(matches({ op: ["d"] }, raw(DELETE_VALUE))).toBe(true);
    expect(recordOp(decodeRecord(raw(`{"op":"x","before":null,"after":null,"source":{}}`)))).toBe("other");
  });

  it("filters by the outbox fields, exactly", () => {
    expect(matches({ eventType: "UserCreated" }, create)).toBe(true);
    expect(matches({ eventType: "UserCreate" }, create)).toBe(false);
    expect(matches({ eventType: "OrderPlaced", aggregateType: "Order", aggregateId: "o7" }, failed)).toBe(true);
    expect(matches({ aggregateId: "a1" }, failed)).toBe(false);
  });

  it("filters by key: its JSON text or its single value", () => {
    expect(matches({ key: EVENT_ID }, create)).toBe(true);
    expect(matches({ key: CREATE_KEY }, create)).toBe(true);
    expect(matches({ key: "42" }, raw(SCHEMA_WRAPPED_VALUE, SCHEMA_WRAPPED_KEY))).toBe(true);
    expect(matches({ key: EVENT_ID }, failed)).toBe(false);
  });

  it("filters by header", () => {
    const record = raw(CREATE_VALUE, CREATE_KEY, { "x-replay-id": Buffer.from("17") });
    expect(matches({ header: { name: "x-replay-id", value: "17" } }, record)).toBe(true);
    expect(matches({ header: { name: "x-replay-id", value: "18" } }, record)).toBe(false);
    expect(matches({ header: { name: "x-replay-id", value: "17" } }, create)).toBe(false);
  });

  it("filters by a JSON path into after, before, the jsonb payload and arrays", () => {
    expect(matches({ path: { path: "after.status", match: "equals", value: "processed" } }, processed)).toBe(true);
    expect(matches({ path: { path: "before.status", match: "equals", value: "pending" } }, processed)).toBe(true);
    expect(matches({ path: { path: "after.status", match: "equals", value: "pending" } }, processed)).toBe(false);
    expect(matches({ path: { path: "payload.email", match: "equals", value: "x@y.z" } }, create)).toBe(true);
    expect(matches({ path: { path: "payload.total", match: "equals", value: "42.5" } }, failed)).toBe(true);
    expect(matches({ path: { path: "payload.simulateFailure", match: "contains", value: "DECLINED" } }, failed)).toBe(true);
    expect(matches({ path: { path: "payload.simulateFailure", match: "exists" } }, failed)).toBe(true);
    expect(matches({ path: { path: "payload.simulateFailure", match: "exists" } }, create)).toBe(false);
    expect(matches({ path: { path: "after.processed_at", match: "exists" } }, create)).toBe(false);
    expect(matches({ path: { path: "source.txId", match: "equals", value: "728" } }, create)).toBe(true);
    const cart = raw(SCHEMA_WRAPPED_VALUE, SCHEMA_WRAPPED_KEY);
    expect(matches({ path: { path: "after.body.items[0].sku", match: "equals", value: "A-1" } }, cart)).toBe(true);
    expect(matches({ path: { path: "after.body.items[1].sku", match: "exists" } }, cart)).toBe(false);
    expect(matches({ path: { path: "value.a.b", match: "equals", value: "1" } }, raw(`{"a":{"b":1}}`))).toBe(true);
    expect(matches({ path: { path: "key.event_id", match: "equals", value: EVENT_ID } }, create)).toBe(true);
  });

  it("treats an unavailable (TOASTed) column as absent", () => {
    expect(matches({ path: { path: "payload", match: "exists" } }, raw(TOAST_UPDATE_VALUE))).toBe(false);
  });

  it("does not walk the prototype", () => {
    expect(matches({ path: { path: "after.constructor", match: "exists" } }, create)).toBe(false);
    expect(matches({ path: { path: "after.__proto__", match: "exists" } }, create)).toBe(false);
  });

  it("finds free text case-insensitively in the key, the value and headers, also in binary-free raw text", () => {
    expect(matches({ text: "X@Y.Z" }, create)).toBe(true);
    expect(matches({ text: "a9659ECB" }, raw(null))).toBe(true);
    expect(matches({ text: "trace-7" }, raw(null, null, { traceparent: Buffer.from("trace-7") }))).toBe(true);
    expect(matches({ text: "nowhere" }, create)).toBe(false);
    expect(matches({ text: "<script>" }, raw(`{"a":"<script>alert(1)</script>"}`))).toBe(true);
  });

  it("rejects from the raw bytes only records that cannot match", () => {
    const compiled = compileMessageFilter({ eventType: "OrderPlaced" });
    expect(compiled.rawCheck(create)).toBe(false);
    expect(compiled.rawCheck(failed)).toBe(true);
    // A value JSON escapes is not looked for in the bytes.
    expect(compileMessageFilter({ eventType: 'say "hi"' }).rawCheck(create)).toBe(true);
    // Free text in ASCII is looked for in the bytes, in any case.
    expect(compileMessageFilter({ text: "NOWHERE" }).rawCheck(create)).toBe(false);
    expect(compileMessageFilter({ text: "X@Y.Z" }).rawCheck(create)).toBe(true);
    // Text that is not ASCII is not.
    expect(compileMessageFilter({ text: "ünïcode" }).rawCheck(create)).toBe(true);
    // A case-insensitive contains with letters is not either.
    expect(compileMessageFilter({ path: { path: "payload.email", match: "contains", value: "X@Y" } }).rawCheck(create)).toBe(true);
  });

  it("filters the tail by partition", () => {
    const compiled = compileMessageFilter({ partition: 2 });
    expect(compiled.rawCheck(create)).toBe(false);
    expect(compiled.matches(decodeRecord(create))).toBe(false);
    expect(compileMessageFilter({ partition: 1 }).matches(decodeRecord(create))).toBe(true);
  });

  it("searches the decoded content for free text without the raw bytes (the live tail)", () => {
    const compiled = compileMessageFilter({ text: "x@y.z" });
    expect(compiled.matches(decodeRecord(create))).toBe(true);
    expect(compileMessageFilter({ text: "absent" }).matches(decodeRecord(create))).toBe(false);
  });
});

describe("parseJsonPath", () => {
  it("splits dots and indexes, payload meaning after.payload", () => {
    expect(parseJsonPath("payload.items[0].sku")).toEqual(["after", "payload", "items", 0, "sku"]);
    expect(parseJsonPath("before.status")).toEqual(["before", "status"]);
  });
});

describe("the filter contract", () => {
  it("names what is wrong", () => {
    const bad = messageFilterSchema.safeParse({ path: { path: "after.x; drop", match: "equals", value: "1" } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain("must be a path");
    const missing = messageFilterSchema.safeParse({ path: { path: "after.x", match: "equals" } });
    expect(missing.error?.issues[0]?.path).toEqual(["path", "value"]);
    expect(messageFilterSchema.safeParse({ script: "1" }).success).toBe(false);
  });
});

describe("asciiCaseInsensitiveSearch", () => {
  it("finds what a case-insensitive RegExp finds in the same bytes, and nothing else", () => {
    // A small alphabet makes near-misses and overlapping partial matches common.
    const alphabet = Buffer.from("aAbB\"{}:-xX\u00e9\u00c9", "latin1");
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let found = 0;
    for (let round = 0; round < 3000; round++) {
      const needle = Array.from({ length: 1 + random(3) }, () => String.fromCharCode(alphabet[random(10)]!)).join("");
      const bytes = Buffer.from(Array.from({ length: random(60) }, () => alphabet[random(alphabet.length)]!));
      const limit = random(bytes.length + 1);
      const expected = new RegExp(needle.replace(/[{}]/g, "\\$&"), "i").test(bytes.toString("latin1", 0, limit));
      expect(asciiCaseInsensitiveSearch(needle)(bytes, limit), `${needle} in ${bytes.toString("latin1")} up to ${limit}`).toBe(expected);
      if (expected) found += 1;
    }
    expect(found).toBeGreaterThan(200);
    expect(found).toBeLessThan(2700);
  });

  it("matches at the very start and end, and not past the limit", () => {
    const search = asciiCaseInsensitiveSearch("Needle");
    expect(search(Buffer.from("NEEDLE and more"), 15)).toBe(true);
    expect(search(Buffer.from("more and nEeDlE"), 15)).toBe(true);
    expect(search(Buffer.from("more and nEeDlE"), 14)).toBe(false);
    expect(search(Buffer.from("needl"), 5)).toBe(false);
  });
});
