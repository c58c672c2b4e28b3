import { describe, expect, it } from "vitest";
import type { OutboxRow } from "@/lib/contracts/outbox";
import { changedRowIds } from "./row-changes";

function row(eventId: string, fields: Partial<OutboxRow> = {}): OutboxRow {
  return {
    eventId,
    sequence: "1",
    status: "pending",
    eventType: "OrderPlaced",
    aggregateType: "order",
    aggregateId: "42",
    retryCount: 0,
    createdAt: "2026-01-31T12:00:00.000001+00:00",
    updatedAt: "2026-01-31T12:00:00.000001+00:00",
    processedAt: null,
    lastError: null,
    ...fields,
  };
}

describe("changedRowIds", () => {
  it("names new rows and rows whose status or update time changed, in page order", () => {
    const previous = [row("a"), row("b"), row("c")];
    const next = [
      row("new"),
      row("a", { status: "processed" }),
      row("b"),
      row("c", { updatedAt: "2026-01-31T12:00:01.000001+00:00", status: "pending" }),
    ];
    expect(changedRowIds(previous, next)).toEqual(["new", "a", "c"]);
  });

  it("ignores fields that do not mark a change and rows that left the page", () => {
    expect(changedRowIds([row("a"), row("gone")], [row("a", { lastError: "later read" })])).toEqual([]);
  });

  it("names every row of a first answer compared with nothing", () => {
    expect(changedRowIds([], [row("a"), row("b")])).toEqual(["a", "b"]);
  });
});
