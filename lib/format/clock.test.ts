import { describe, expect, it } from "vitest";
import { formatClockTime } from "./clock";

describe("formatClockTime", () => {
  it("formats epoch milliseconds as HH:MM:SS in UTC", () => {
    expect(formatClockTime(Date.UTC(2025, 2, 1, 23, 4, 5, 678))).toBe("23:04:05");
    expect(formatClockTime(0)).toBe("00:00:00");
  });

  it("shows an impossible time as a dash", () => {
    expect(formatClockTime(Number.NaN)).toBe("—");
    expect(formatClockTime(8.64e15 + 1)).toBe("—");
  });
});
