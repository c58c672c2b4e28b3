import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isoToLocalInput, localInputToIso } from "./datetime-local";

describe("datetime-local ↔ ISO", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  describe("in a zone east of UTC", () => {
    beforeEach(() => {
      process.env.TZ = "Europe/Berlin";
    });

    it("writes the browser's offset, winter and summer", () => {
      expect(localInputToIso("2026-01-31T12:00")).toBe("2026-01-31T12:00:00+01:00");
      expect(localInputToIso("2026-07-01T08:30:15")).toBe("2026-07-01T08:30:15+02:00");
      expect(localInputToIso("2026-07-01T08:30:15.5")).toBe("2026-07-01T08:30:15.500+02:00");
    });

    it("shows an ISO time of any offset on the browser's clock", () => {
      expect(isoToLocalInput("2026-01-31T11:00:00Z")).toBe("2026-01-31T12:00");
      expect(isoToLocalInput("2026-01-31T11:00:07-00:00")).toBe("2026-01-31T12:00:07");
    });

    it("round-trips what the input shows", () => {
      for (const value of ["2026-01-31T12:00", "2026-03-29T04:15", "2026-12-31T23:59:59"]) {
        const iso = localInputToIso(value);
        expect(iso).not.toBeNull();
        expect(isoToLocalInput(iso!)).toBe(value);
      }
    });
  });

  describe("in a zone west of UTC with a half-hour offset", () => {
    beforeEach(() => {
      process.env.TZ = "America/St_Johns";
    });

    it("writes a negative offset with its minutes", () => {
      expect(localInputToIso("2026-01-31T12:00")).toBe("2026-01-31T12:00:00-03:30");
      expect(Date.parse(localInputToIso("2026-01-31T12:00")!)).toBe(Date.UTC(2026, 0, 31, 15, 30));
    });
  });

  it("refuses empty, malformed and impossible values", () => {
    expect(localInputToIso("")).toBeNull();
    expect(localInputToIso("2026-01-31")).toBeNull();
    expect(localInputToIso("2026-02-31T10:00")).toBeNull();
    expect(localInputToIso("31/01/2026 10:00")).toBeNull();
    expect(isoToLocalInput(undefined)).toBe("");
    expect(isoToLocalInput("garbage")).toBe("");
  });
});
