import { describe, expect, it } from "vitest";
import { describeFilter, describeSearch } from "./describe-search";

describe("a search in words", () => {
  it("names each filter clause", () => {
    expect(
      describeFilter({
        op: ["c", "u"],
        eventType: "OrderPlaced",
        header: { name: "x-replay-id", value: "7" },
        path: { path: "payload.customer.id", match: "equals", value: "c-1" },
        text: "boom",
      }),
    ).toEqual(["op create or update", "event type OrderPlaced", "header x-replay-id = 7", "payload.customer.id equals c-1", "text “boom”"]);
    expect(describeFilter({ path: { path: "after.payload", match: "exists" } })).toEqual(["after.payload exists"]);
  });

  it("says what, where and how far in one line", () => {
    expect(
      describeSearch({ partitions: [2], from: "end-1000", to: "2026-01-31T12:00:00Z", filter: { eventType: "E" }, maxScanned: 5_000, maxResults: 10, timeoutMs: 30_000 }, "outbox"),
    ).toBe("event type E · in outbox (partition 2) · from 1,000 before the end to 2026-01-31 12:00:00.000 UTC · at most 5,000 scanned, 10 results, 30 s");
    expect(describeSearch({ topic: "t", from: "beginning", to: "end", filter: {}, maxScanned: 1, maxResults: 1, timeoutMs: 100 }, null)).toBe(
      "every record · in t (all partitions) · from the beginning to the end · at most 1 scanned, 1 results, 100 ms",
    );
  });
});
