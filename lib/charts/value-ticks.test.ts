import { describe, expect, it } from "vitest";
import { valueTicks } from "./value-ticks";

const KiB = 1024;
const MiB = 1024 * 1024;

describe("valueTicks", () => {
  it("steps bytes by round binary units", () => {
    expect(valueTicks(2.29 * MiB, "bytes")).toEqual([0, MiB, 2 * MiB, 3 * MiB]);
    expect(valueTicks(63.7 * KiB, "bytes")).toEqual([0, 20 * KiB, 40 * KiB, 60 * KiB, 80 * KiB]);
    expect(valueTicks(700, "bytes")).toEqual([0, 200, 400, 600, 800]);
  });

  it("steps durations by round clock values", () => {
    expect(valueTicks(3_800, "duration")).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    expect(valueTicks(360, "duration")).toEqual([0, 100, 200, 300, 400]);
    expect(valueTicks(100_000, "duration")).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
  });

  it("steps counts by whole 1-2-5 numbers, and rates below 1 by fractions", () => {
    expect(valueTicks(32, "count")).toEqual([0, 10, 20, 30, 40]);
    expect(valueTicks(3, "count")).toEqual([0, 1, 2, 3]);
    expect(valueTicks(220, "rate")).toEqual([0, 100, 200, 300]);
    expect(valueTicks(0.3, "rate")).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it("keeps within the maximum number of ticks and covers the maximum", () => {
    for (const max of [1, 7, 99, 101, 12_345, 9_999_999]) {
      const ticks = valueTicks(max, "count", 6);
      expect(ticks.length).toBeLessThanOrEqual(6);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks[0]).toBe(0);
    }
  });

  it("labels a flat or empty axis with its first step", () => {
    expect(valueTicks(0, "rate")).toEqual([0, 1]);
    expect(valueTicks(Number.NaN, "count")).toEqual([0, 1]);
    expect(valueTicks(0, "bytes")).toEqual([0, 1024]);
    expect(valueTicks(-5, "duration")).toEqual([0, 1_000]);
  });
});
