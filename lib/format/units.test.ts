import { describe, expect, it } from "vitest";
import { formatTick, formatValue } from "./units";

describe("formatValue", () => {
  it("formats each unit in full", () => {
    expect(formatValue("count", 12_345)).toBe("12,345");
    expect(formatValue("rate", 12.34)).toBe("12.3/s");
    expect(formatValue("bytes", 1536)).toBe("1.5 KiB");
    expect(formatValue("byteRate", 1536)).toBe("1.5 KiB/s");
    expect(formatValue("duration", 250)).toBe("250 ms");
  });

  it("shows unknown as a dash in every unit", () => {
    for (const unit of ["count", "rate", "bytes", "byteRate", "duration"] as const) expect(formatValue(unit, null)).toBe("—");
  });
});

describe("formatTick", () => {
  it("keeps axis labels short", () => {
    expect(formatTick("count", 12_345)).toBe("12k");
    expect(formatTick("rate", 1_500)).toBe("1.5k/s");
    expect(formatTick("bytes", 1024 * 1024)).toBe("1 MiB");
    expect(formatTick("duration", 2_000)).toBe("2 s");
  });
});
