import { describe, expect, it } from "vitest";
import { DEFAULT_OUTBOX_MAPPING, type OutboxTableMapping } from "./mapping";
import { estimatedCounts, exactCounts } from "./stats";

const CUSTOM: OutboxTableMapping = { ...DEFAULT_OUTBOX_MAPPING, statuses: { pending: "NEW", processed: "DONE", failed: "ERROR" } };

describe("exactCounts", () => {
  it("lists the mapped statuses first, 0 when absent, then any others", () => {
    expect(exactCounts(CUSTOM, [{ status: "CANCELLED", count: 4 }, { status: "DONE", count: 90 }, { status: "NEW", count: 6 }])).toEqual([
      { status: "NEW", count: 6, exact: true },
      { status: "DONE", count: 90, exact: true },
      { status: "ERROR", count: 0, exact: true },
      { status: "CANCELLED", count: 4, exact: true },
    ]);
  });
});

describe("estimatedCounts", () => {
  it("estimates processed as reltuples minus the exact rare counts, labelled, floored at 0", () => {
    expect(estimatedCounts(CUSTOM, 1_000_000.4, 120, 30)).toEqual([
      { status: "NEW", count: 120, exact: true },
      { status: "DONE", count: 999_850, exact: false },
      { status: "ERROR", count: 30, exact: true },
    ]);
    // reltuples lags behind a table that just grew: never a negative count.
    expect(estimatedCounts(CUSTOM, 100, 120, 30)[1]).toEqual({ status: "DONE", count: 0, exact: false });
  });

  it("leaves processed out when the table was never analyzed (reltuples −1) rather than show a wrong number", () => {
    expect(estimatedCounts(CUSTOM, -1, 5, 1).map((c) => c.status)).toEqual(["NEW", "ERROR"]);
  });
});
