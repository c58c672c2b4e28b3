import { describe, expect, it } from "vitest";
import type { Row, RowImageNotes } from "@/lib/debezium";
import { canonicalJson, cellState, changedColumns, changedPaths, diffRows } from "./row-diff";

const CLEAN: RowImageNotes = { unavailableColumns: [], jsonbColumns: [], omittedColumns: [] };

describe("before → after", () => {
  it("marks the columns an update changed, in the after image's order", () => {
    const before: Row = { event_id: "e1", status: "pending", retry_count: 0, processed_at: null, payload: { amount: 5 } };
    const after: Row = { event_id: "e1", status: "processed", retry_count: 0, processed_at: "2026-01-31T12:00:00Z", payload: { amount: 5 } };
    const fields = diffRows(before, CLEAN, after, CLEAN);
    expect(fields.map((field) => [field.column, field.change])).toEqual([
      ["event_id", "unchanged"],
      ["status", "changed"],
      ["retry_count", "unchanged"],
      ["processed_at", "changed"],
      ["payload", "unchanged"],
    ]);
    expect(changedColumns(fields)).toEqual(["status", "processed_at"]);
  });

  it("compares JSON columns by value, whatever the key order, and says where they differ", () => {
    const before: Row = { payload: { b: 1, a: { x: [1, 2] }, gone: true } };
    const after: Row = { payload: { a: { x: [1, 3, 4] }, b: 1, "new key": 0 } };
    const [field] = diffRows(before, CLEAN, after, CLEAN);
    expect(field?.change).toBe("changed");
    expect(field?.changedPaths).toEqual(["a.x[1]", "a.x[2]", "gone", '["new key"]']);
    expect(diffRows({ payload: { b: 1, a: 2 } }, CLEAN, { payload: { a: 2, b: 1 } }, CLEAN)[0]?.change).toBe("unchanged");
  });

  it("reads an unchanged TOASTed value as unchanged, and omitted cells as unknown", () => {
    const before: Row = { description: "long text", payload: { omitted: "too-long", textLength: 90_000 } };
    const after: Row = { description: { unavailable: true }, payload: { omitted: "too-long", textLength: 90_001 } };
    const fields = diffRows(before, { ...CLEAN, omittedColumns: ["payload"] }, after, { ...CLEAN, unavailableColumns: ["description"], omittedColumns: ["payload"] });
    expect(fields.map((field) => [field.column, field.change, field.after.kind])).toEqual([
      ["description", "unchanged", "unavailable"],
      ["payload", "unknown", "omitted"],
    ]);
    expect(fields[1]?.after).toEqual({ kind: "omitted", reason: "too-long", textLength: 90_001 });
  });

  it("tells jsonb data that looks like a marker from the marker", () => {
    expect(cellState({ payload: { unavailable: true } }, CLEAN, "payload")).toEqual({ kind: "value", value: { unavailable: true } });
    expect(cellState({ payload: { omitted: "too-long" } }, CLEAN, "payload")).toEqual({ kind: "value", value: { omitted: "too-long" } });
  });

  it("names columns only one image has", () => {
    const fields = diffRows({ a: 1, old: 2 }, CLEAN, { a: 1, added: 3 }, CLEAN);
    expect(fields.map((field) => [field.column, field.change])).toEqual([
      ["a", "unchanged"],
      ["added", "added"],
      ["old", "removed"],
    ]);
  });

  it("lists at most the limit of changed paths, and the root for different scalars", () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`k${index}`, index]));
    const other = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`k${index}`, -index - 1]));
    expect(changedPaths(many, other, 5)).toEqual(["k0", "k1", "k2", "k3", "k4"]);
    expect(changedPaths(1, "1")).toEqual([""]);
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});
