import { describe, expect, it } from "vitest";
import type { SearchProgress } from "@/lib/contracts/messages";
import { describePositions, newerSearchProgress, progressOf, resultsBehind, scannedFraction } from "./search-progress";

function progress(fields: Partial<SearchProgress> = {}): SearchProgress {
  return {
    searchId: "s1",
    topic: "t",
    state: "running",
    rangeTotal: 1_000,
    scanned: 100,
    matched: 2,
    positions: { "0": "50", "1": "50" },
    recordsPerSecond: 500,
    startedAt: 0,
    elapsedMs: 200,
    stopReason: null,
    error: null,
    ...fields,
  };
}

describe("search progress", () => {
  it("keeps the later of two progress reports", () => {
    const early = progress();
    const later = progress({ scanned: 300, elapsedMs: 600 });
    expect(newerSearchProgress(early, later)).toBe(later);
    expect(newerSearchProgress(later, early)).toBe(later);
    const done = progress({ state: "done", scanned: 250, elapsedMs: 500, stopReason: "cancelled" });
    expect(newerSearchProgress(later, done)).toBe(done);
    expect(newerSearchProgress(done, later)).toBe(done);
    expect(newerSearchProgress(undefined, early)).toBe(early);
    expect(newerSearchProgress(early, progress({ searchId: "s2", scanned: 0 })).searchId).toBe("s2");
  });

  it("measures how far through the range it is", () => {
    expect(scannedFraction(progress())).toBe(0.1);
    expect(scannedFraction(progress({ rangeTotal: 0 }))).toBeNull();
    expect(scannedFraction(progress({ scanned: 2_000 }))).toBe(1);
    expect(scannedFraction(progress({ state: "done", stopReason: "range-end", scanned: 990 }))).toBe(1);
  });

  it("lists positions in partition order", () => {
    expect(describePositions({ "10": "1234", "2": "5" })).toBe("2 @ 5 · 10 @ 1,234");
    expect(describePositions({})).toBe("—");
  });

  it("knows when the results shown are behind", () => {
    const shown = { ...progress({ matched: 2 }), results: [] };
    expect(resultsBehind(progress({ matched: 2 }), shown)).toBe(false);
    expect(resultsBehind(progress({ matched: 3 }), shown)).toBe(true);
    expect(resultsBehind(progress({ matched: 2, state: "done" }), shown)).toBe(true);
    expect(resultsBehind(progress(), undefined)).toBe(true);
    expect(progressOf(shown)).toEqual(progress({ matched: 2 }));
  });
});
