import { describe, expect, it } from "vitest";
import type { OutboxStats } from "@/lib/contracts/metrics";
import { countOf, otherCounts } from "./outbox-counts";

const outbox: OutboxStats = {
  table: "activity.event_outbox",
  counts: [
    { status: "pending", count: 12, exact: true },
    { status: "processed", count: 1_200_000, exact: false },
    { status: "archived", count: 5, exact: false },
    { status: "dead", count: 9, exact: true },
  ],
  oldestPendingAgeMs: 1_500,
  retryDistribution: [],
  insertRate: 10,
  processedRate: 10,
  failedRate: 0,
  slot: null,
  error: null,
  polledAt: 0,
};

describe("outbox counts", () => {
  it("finds a status' count and whether it is exact", () => {
    expect(countOf(outbox, "pending")).toEqual({ count: 12, exact: true });
    expect(countOf(outbox, "processed")).toEqual({ count: 1_200_000, exact: false });
  });

  it("is null (unknown) for a status the snapshot does not report", () => {
    expect(countOf(outbox, "failed")).toBeNull();
  });

  it("lists the other statuses, largest first", () => {
    expect(otherCounts(outbox).map((entry) => entry.status)).toEqual(["dead", "archived"]);
  });
});
