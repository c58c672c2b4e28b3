import { describe, expect, it } from "vitest";
import { formatClockUtc, formatDuration } from "./duration";

describe("formatDuration", () => {
  it.each([
    [0, "0 ms"],
    [3.4, "3 ms"],
    [999, "999 ms"],
    [1_240, "1.24 s"],
    [2_000, "2 s"],
    [1_500, "1.5 s"],
    [12_340, "12.3 s"],
    [60_000, "1 min"],
    [125_000, "2 min 5 s"],
    [119_600, "2 min"],
    [-1, "—"],
    [Number.NaN, "—"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("formatClockUtc", () => {
  it("formats in UTC so server and browser render the same text", () => {
    expect(formatClockUtc("2025-03-01T23:04:05.678Z")).toBe("23:04:05 UTC");
    expect(formatClockUtc("2025-03-01T23:04:05+02:00")).toBe("21:04:05 UTC");
    expect(formatClockUtc("not a date")).toBe("—");
  });
});
