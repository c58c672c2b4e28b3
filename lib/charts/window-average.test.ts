import { describe, expect, it } from "vitest";
import type { HistoryPoint } from "@/lib/contracts/metrics";
import { windowAverage } from "./window-average";

function point(at: number, failedRate: number | null): HistoryPoint {
  return { at, failedRate } as HistoryPoint;
}

describe("windowAverage", () => {
  it("averages the known seconds of the window: one failure every 5 s is 0.2/s, not 0", () => {
    const points = Array.from({ length: 120 }, (_, s) => point(s * 1000, s % 5 === 0 ? 1 : 0));
    expect(windowAverage(points, "failedRate", 60_000, 119_000)).toBeCloseTo(0.2, 6);
  });

  it("leaves unknown seconds out, and is null when none is known", () => {
    expect(windowAverage([point(1000, null), point(2000, 4), point(3000, null)], "failedRate", 60_000, 3000)).toBe(4);
    expect(windowAverage([point(1000, null)], "failedRate", 60_000, 1000)).toBeNull();
    expect(windowAverage([], "failedRate", 60_000, 1000)).toBeNull();
  });

  it("ignores points older than the window", () => {
    expect(windowAverage([point(0, 100), point(61_000, 2)], "failedRate", 60_000, 61_000)).toBe(2);
  });
});
