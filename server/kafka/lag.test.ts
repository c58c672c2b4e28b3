import { describe, expect, it } from "vitest";
import { consumeRate, offsetRate, partitionLag, sumKnown, timeLag } from "./lag";

describe("partitionLag", () => {
  it("is end − committed", () => {
    expect(partitionLag(120, 0, 100)).toBe(20);
    expect(partitionLag(120, 0, 120)).toBe(0);
  });
  it("counts from the start offset when the group committed nothing", () => {
    expect(partitionLag(120, 30, null)).toBe(90);
    expect(partitionLag(120, 30, -1)).toBe(90);
  });
  it("is never negative (a committed offset read after an older end offset)", () => {
    expect(partitionLag(100, 0, 105)).toBe(0);
  });
});

describe("timeLag", () => {
  it("is the age of the oldest unconsumed record, 0 without lag, null when its timestamp is unknown", () => {
    expect(timeLag(5, 9_000, 10_000)).toBe(1_000);
    expect(timeLag(0, undefined, 10_000)).toBe(0);
    expect(timeLag(5, undefined, 10_000)).toBeNull();
    expect(timeLag(5, 12_000, 10_000)).toBe(0);
  });
});

describe("offsetRate", () => {
  it("is the offset delta per second between two reads", () => {
    expect(offsetRate(100, 350, 500)).toBe(500);
  });
  it("is null without a previous read, without elapsed time, or when the offset went back", () => {
    expect(offsetRate(undefined, 10, 1_000)).toBeNull();
    expect(offsetRate(10, 20, 0)).toBeNull();
    expect(offsetRate(500, 3, 1_000)).toBeNull();
  });
});

describe("consumeRate", () => {
  it("sums the committed offsets' advance over the group's partitions", () => {
    const before = [100, 200];
    const after = [150, 250];
    expect(consumeRate(before, after, 2_000)).toBe(50);
  });
  it("counts a reset partition as 0 and leaves out partitions without commits on both reads", () => {
    const before = [100, 500, -1];
    const after = [200, 0, 40, 7];
    expect(consumeRate(before, after, 1_000)).toBe(100);
  });
  it("is null on the first read", () => {
    expect(consumeRate(undefined, [1], 1_000)).toBeNull();
  });
});

describe("sumKnown", () => {
  it("sums the known values; null when none is known", () => {
    expect(sumKnown([1, null, 2])).toBe(3);
    expect(sumKnown([null, null])).toBeNull();
    expect(sumKnown([])).toBeNull();
  });
});
