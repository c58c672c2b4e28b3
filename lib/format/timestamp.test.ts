import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatAge, formatLocalTimestamp, formatUtcOffset, formatUtcSpan, formatUtcTimestamp } from "./timestamp";

describe("formatUtcTimestamp", () => {
  it("shows date and time to the millisecond in UTC, whatever offset the text carried", () => {
    expect(formatUtcTimestamp("2026-01-31T12:04:05.123456+00:00")).toBe("2026-01-31 12:04:05.123 UTC");
    expect(formatUtcTimestamp("2026-01-31T13:04:05+01:00")).toBe("2026-01-31 12:04:05.000 UTC");
    expect(formatUtcTimestamp(Date.UTC(2026, 0, 31, 0, 0, 1))).toBe("2026-01-31 00:00:01.000 UTC");
  });

  it("shows no time as a dash", () => {
    expect(formatUtcTimestamp("yesterday")).toBe("—");
  });
});

describe("formatLocalTimestamp", () => {
  const originalTz = process.env.TZ;
  beforeEach(() => {
    process.env.TZ = "Asia/Kolkata";
  });
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it("shows the browser's clock with its offset", () => {
    expect(formatLocalTimestamp("2026-01-31T12:00:00Z")).toBe("2026-01-31 17:30:00 UTC+05:30");
    expect(formatLocalTimestamp("nope")).toBe("—");
  });
});

describe("formatUtcOffset", () => {
  it.each([
    [0, "+00:00"],
    [60, "+01:00"],
    [330, "+05:30"],
    [-210, "-03:30"],
  ])("%s min → %s", (minutes, text) => {
    expect(formatUtcOffset(minutes)).toBe(text);
  });
});

describe("formatAge", () => {
  it.each([
    [850, "850 ms"],
    [12_340, "12.3 s"],
    [245_000, "4 min 5 s"],
    [3_600_000, "1 h"],
    [3 * 3_600_000 + 12 * 60_000 + 59_000, "3 h 12 min"],
    [2 * 86_400_000, "2 d"],
    [2 * 86_400_000 + 5 * 3_600_000 + 1, "2 d 5 h"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });

  it("reads a slightly negative age (clock skew) as now, and no number as a dash", () => {
    expect(formatAge(-40)).toBe("0 ms");
    expect(formatAge(Number.NaN)).toBe("—");
  });
});

describe("formatUtcSpan", () => {
  it("writes the day once when both times fall on it", () => {
    expect(formatUtcSpan("2026-12-07T22:03:40.545Z", "2026-12-07T22:03:40.598Z")).toBe("2026-12-07 22:03:40.545 → 22:03:40.598 UTC");
  });

  it("writes both in full across midnight (UTC) or with an end unknown", () => {
    expect(formatUtcSpan("2026-12-07T23:59:59.990Z", "2026-12-08T00:00:00.010Z")).toBe("2026-12-07 23:59:59.990 UTC → 2026-12-08 00:00:00.010 UTC");
    expect(formatUtcSpan("2026-12-07T22:03:40.545Z", null)).toBe("2026-12-07 22:03:40.545 UTC → —");
    expect(formatUtcSpan(null, "2026-12-07T22:03:40.545Z")).toBe("— → 2026-12-07 22:03:40.545 UTC");
    expect(formatUtcSpan("not a time", "2026-12-07T22:03:40.545Z")).toBe("— → 2026-12-07 22:03:40.545 UTC");
  });
});
