import { describe, expect, it } from "vitest";
import { timeTicks } from "./time-ticks";

describe("timeTicks", () => {
  it("puts ticks on round clock values within the span", () => {
    const start = Date.UTC(2025, 0, 1, 12, 0, 7);
    const end = start + 60_000;
    const ticks = timeTicks(start, end, 6);
    expect(ticks).toEqual([10, 20, 30, 40, 50, 60].map((second) => Date.UTC(2025, 0, 1, 12, 0, second)));
  });

  it("widens the step to stay under the maximum", () => {
    const start = Date.UTC(2025, 0, 1, 12, 0, 0);
    const ticks = timeTicks(start, start + 15 * 60_000, 8);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[1]! - ticks[0]!).toBe(120_000);
  });

  it("answers nothing for an empty span", () => {
    expect(timeTicks(5, 5, 4)).toEqual([]);
    expect(timeTicks(0, 1_000, 0)).toEqual([]);
  });
});
