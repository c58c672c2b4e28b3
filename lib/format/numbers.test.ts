import { describe, expect, it } from "vitest";
import { formatByteRate, formatBytes, formatCompact, formatCount, formatLatency, formatOffset, formatRate } from "./numbers";

describe("formatCount", () => {
  it.each([
    [0, "0"],
    [7, "7"],
    [12_345, "12,345"],
    [1_234_567, "1,234,567"],
    [12.6, "13"],
  ])("%s → %s", (value, text) => {
    expect(formatCount(value)).toBe(text);
  });

  it("marks an estimate", () => {
    expect(formatCount(1_200_000, { estimate: true })).toBe("≈1,200,000");
    expect(formatCount(5, { estimate: false })).toBe("5");
  });

  it("shows unknown as a dash, never as 0", () => {
    expect(formatCount(null)).toBe("—");
    expect(formatCount(undefined)).toBe("—");
    expect(formatCount(Number.NaN)).toBe("—");
    expect(formatCount(null, { estimate: true })).toBe("—");
  });
});

describe("formatRate", () => {
  it.each([
    [0, "0/s"],
    [0.001, "<0.01/s"],
    [0.04, "0.04/s"],
    [0.4, "0.4/s"],
    [3, "3.0/s"],
    [12.34, "12.3/s"],
    [99.94, "99.9/s"],
    [1234.5, "1,235/s"],
  ])("%s → %s", (value, text) => {
    expect(formatRate(value)).toBe(text);
  });

  it("shows unknown and impossible rates as a dash", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(-1)).toBe("—");
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [512, "512 B"],
    [1023, "1023 B"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [12.34 * 1024 * 1024, "12.3 MiB"],
    [1.02 * 1024 ** 3, "1.02 GiB"],
    [1023.9 * 1024, "1 MiB"],
    [5 * 1024 ** 5, "5 PiB"],
  ])("%s → %s", (value, text) => {
    expect(formatBytes(value)).toBe(text);
  });

  it("shows unknown as a dash", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(-5)).toBe("—");
  });

  it("formats byte rates", () => {
    expect(formatByteRate(2048)).toBe("2 KiB/s");
    expect(formatByteRate(null)).toBe("—");
  });
});

describe("formatCompact", () => {
  it.each([
    [0, "0"],
    [950, "950"],
    [0.25, "0.25"],
    [1_234, "1.2k"],
    [12_345, "12k"],
    [3_400_000, "3.4M"],
    [-2_500, "-2.5k"],
  ])("%s → %s", (value, text) => {
    expect(formatCompact(value)).toBe(text);
  });
});

describe("formatLatency", () => {
  it("is a duration, or a dash when unknown", () => {
    expect(formatLatency(250)).toBe("250 ms");
    expect(formatLatency(1_500)).toBe("1.5 s");
    expect(formatLatency(null)).toBe("—");
  });
});

describe("formatOffset", () => {
  it("groups the digits of a 64-bit offset without going through a float", () => {
    expect(formatOffset("0")).toBe("0");
    expect(formatOffset("999")).toBe("999");
    expect(formatOffset("1234567")).toBe("1,234,567");
    expect(formatOffset("9223372036854775807")).toBe("9,223,372,036,854,775,807");
  });

  it("shows a missing offset as a dash and anything else as it came", () => {
    expect(formatOffset(null)).toBe("—");
    expect(formatOffset("")).toBe("—");
    expect(formatOffset("-1")).toBe("-1");
  });
});
