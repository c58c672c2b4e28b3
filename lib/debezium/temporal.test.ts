import { describe, expect, it } from "vitest";
import { MICROS_BELOW, MILLIS_BELOW, TEMPORAL_SCHEMA_NAMES, epochToMs, inferEpochUnit, parseIsoTimestampMs, temporalToEpochMs } from "./temporal";

/** created_at of the real record: 2026-11-27T16:18:36.793281Z. */
const CREATED_WHOLE_MS = Date.UTC(2026, 10, 27, 16, 18, 36, 793);
const CREATED_MS = CREATED_WHOLE_MS + 0.281;

describe("parseIsoTimestampMs", () => {
  it("reads a ZonedTimestamp with microseconds and keeps the sub-millisecond part", () => {
    const ms = parseIsoTimestampMs("2026-11-27T16:18:36.793281Z");
    expect(ms).toBeCloseTo(CREATED_MS, 6);
    expect(Math.floor(ms ?? 0)).toBe(CREATED_WHOLE_MS);
  });

  it("reads 0 to 9 fraction digits, as java.time writes them", () => {
    const second = Date.UTC(2026, 10, 27, 16, 18, 36);
    expect(parseIsoTimestampMs("2026-11-27T16:18:36Z")).toBe(second);
    expect(parseIsoTimestampMs("2026-11-27T16:18:36.5Z")).toBe(second + 500);
    expect(parseIsoTimestampMs("2026-11-27T16:18:36.95817Z")).toBeCloseTo(second + 958.17, 6);
    expect(parseIsoTimestampMs("2026-11-27T16:18:36.123456789Z")).toBeCloseTo(second + 123.456789, 6);
    expect(parseIsoTimestampMs("2026-11-27T16:18:36.000000001Z")).toBeCloseTo(second + 0.000001, 9);
  });

  it("applies offsets in every form java.time and PostgreSQL write", () => {
    const utc = Date.UTC(2026, 10, 27, 16, 18, 36);
    expect(parseIsoTimestampMs("2026-11-27T18:18:36+02:00")).toBe(utc);
    expect(parseIsoTimestampMs("2026-11-27T10:48:36-05:30")).toBe(utc);
    expect(parseIsoTimestampMs("2026-11-27T21:48:36+0530")).toBe(utc);
    expect(parseIsoTimestampMs("2026-11-27T21:18:36+05")).toBe(utc);
    expect(parseIsoTimestampMs("2026-11-27T21:48:51+05:30:15")).toBe(utc);
    expect(parseIsoTimestampMs("2026-11-27T18:18:36.25+02:00")).toBe(utc + 250);
  });

  it("reads a value without offset as UTC, and accepts a space or lower-case separators", () => {
    const utc = Date.UTC(2026, 10, 27, 16, 18, 36, 793) + 0.281;
    expect(parseIsoTimestampMs("2026-11-27T16:18:36.793281")).toBeCloseTo(utc, 6);
    expect(parseIsoTimestampMs("2026-11-27 16:18:36.793281z")).toBeCloseTo(utc, 6);
    expect(parseIsoTimestampMs("2026-11-27t16:18:36.793281Z")).toBeCloseTo(utc, 6);
    expect(parseIsoTimestampMs("2026-11-27T16:18Z")).toBe(Date.UTC(2026, 10, 27, 16, 18));
  });

  it("handles dates before 1970, years below 100 and signed years beyond 9999", () => {
    expect(parseIsoTimestampMs("1969-12-31T23:59:59.999999Z")).toBeCloseTo(-0.001, 9);
    expect(parseIsoTimestampMs("0099-03-01T00:00:00Z")).toBe(new Date("0099-03-01T00:00:00Z").getTime());
    expect(parseIsoTimestampMs("+10000-01-01T00:00:00Z")).toBe(new Date("+010000-01-01T00:00:00Z").getTime());
    expect(parseIsoTimestampMs("2024-02-29T12:00:00Z")).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseIsoTimestampMs("2000-02-29T00:00:00Z")).toBe(Date.UTC(2000, 1, 29));
  });

  it("agrees with Date for a thousand instants across four centuries", () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 1000; i++) {
      const ms = Math.floor((next() - 0.5) * 2 * 6e12);
      expect(parseIsoTimestampMs(new Date(ms).toISOString())).toBe(ms);
    }
  });

  it.each([
    "infinity",
    "-infinity",
    "",
    "2026-11-27",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-11-27T24:00:00Z",
    "2026-11-27T16:60:00Z",
    "2026-11-27T16:18:60Z",
    "2026-11-27T16:18:36.Z",
    "2026-11-27T16:18:36.1234567891Z",
    "2026-11-27T16:18:36Zjunk",
    "2026-11-27T16:18:36+2:00",
    "2026-11-27T16:18:36+19:00",
    "2026-11-27T16:18:36 UTC",
    "26-11-27T16:18:36Z",
    "2026/11/27T16:18:36Z",
    "１２３４-11-27T16:18:36Z",
  ])("rejects %j", (text) => {
    expect(parseIsoTimestampMs(text)).toBeUndefined();
  });
});

describe("inferEpochUnit (schemaless numbers)", () => {
  it("tells the same instant apart in ms, µs and ns", () => {
    expect(inferEpochUnit(1795796316798)).toBe("ms");
    expect(inferEpochUnit(1795796316798323)).toBe("us");
    expect(inferEpochUnit(1795796316798323000)).toBe("ns");
  });

  it("reads every millisecond timestamp up to the year 5000 as ms, and every µs/ns one after 1973 as such", () => {
    expect(inferEpochUnit(Date.UTC(3000, 0, 1))).toBe("ms");
    expect(inferEpochUnit(Date.UTC(5000, 0, 1))).toBe("ms");
    expect(inferEpochUnit(99_999_999_999_999)).toBe("ms");
    expect(inferEpochUnit(100_000_000_000_000)).toBe("us");
    expect(inferEpochUnit(Date.UTC(1973, 2, 4) * 1000)).toBe("us");
    expect(inferEpochUnit(Date.UTC(5000, 0, 1) * 1000)).toBe("us");
    expect(inferEpochUnit(Date.UTC(1973, 2, 4) * 1_000_000)).toBe("ns");
    expect(inferEpochUnit(Date.UTC(1972, 0, 1) * 1000)).toBe("ms");
  });

  it("switches at the documented magnitudes, by absolute value", () => {
    expect(inferEpochUnit(MILLIS_BELOW - 1)).toBe("ms");
    expect(inferEpochUnit(MILLIS_BELOW)).toBe("us");
    expect(inferEpochUnit(MICROS_BELOW - 1000)).toBe("us");
    expect(inferEpochUnit(MICROS_BELOW)).toBe("ns");
    expect(inferEpochUnit(-1e15)).toBe("us");
    expect(inferEpochUnit(0)).toBe("ms");
  });

  it("converts each unit to ms", () => {
    expect(epochToMs(1500, "ms")).toBe(1500);
    expect(epochToMs(1500, "us")).toBe(1.5);
    expect(epochToMs(1500, "ns")).toBe(0.0015);
  });
});

describe("temporalToEpochMs", () => {
  const { zonedTimestamp, isoTimestamp, timestamp, microTimestamp, nanoTimestamp, connectTimestamp, date, connectDate } = TEMPORAL_SCHEMA_NAMES;

  it("uses the schema name to choose the encoding", () => {
    expect(temporalToEpochMs("2026-11-27T16:18:36.793281Z", zonedTimestamp)).toBeCloseTo(CREATED_MS, 6);
    expect(temporalToEpochMs("2026-11-27T16:18:36.793281", isoTimestamp)).toBeCloseTo(CREATED_MS, 6);
    expect(temporalToEpochMs(CREATED_WHOLE_MS, timestamp)).toBe(CREATED_WHOLE_MS);
    expect(temporalToEpochMs(CREATED_WHOLE_MS, connectTimestamp)).toBe(CREATED_WHOLE_MS);
    expect(temporalToEpochMs(1795796316793281, microTimestamp)).toBeCloseTo(CREATED_MS, 3);
    expect(temporalToEpochMs(1795796316793281000, nanoTimestamp)).toBeCloseTo(CREATED_MS, 0);
    expect(temporalToEpochMs(20784, date)).toBe(Date.UTC(2026, 10, 27));
    expect(temporalToEpochMs(20784, connectDate)).toBe(Date.UTC(2026, 10, 27));
  });

  it("trusts the schema over magnitude: a small MicroTimestamp stays in µs", () => {
    // 1970-01-02 in µs would read as ms (year 5000+) without the schema.
    expect(temporalToEpochMs(86_400_000_000, microTimestamp)).toBe(86_400_000);
    expect(temporalToEpochMs(86_400_000_000)).toBe(86_400_000_000);
  });

  it("gives undefined when the value does not fit its schema", () => {
    expect(temporalToEpochMs(CREATED_WHOLE_MS, zonedTimestamp)).toBeUndefined();
    expect(temporalToEpochMs("2026-11-27T16:18:36Z", microTimestamp)).toBeUndefined();
    expect(temporalToEpochMs(Number.NaN, timestamp)).toBeUndefined();
    expect(temporalToEpochMs(null, zonedTimestamp)).toBeUndefined();
  });

  it("gives undefined for times of day and durations, which are not instants", () => {
    expect(temporalToEpochMs(58_716_793_281, "io.debezium.time.MicroTime")).toBeUndefined();
    expect(temporalToEpochMs("16:18:36.793281Z", "io.debezium.time.ZonedTime")).toBeUndefined();
    expect(temporalToEpochMs(3_600_000_000, "io.debezium.time.MicroDuration")).toBeUndefined();
  });

  it("infers from the value without a schema, or with a non-temporal one", () => {
    expect(temporalToEpochMs("2026-11-27T16:18:36.793281Z")).toBeCloseTo(CREATED_MS, 6);
    expect(temporalToEpochMs(1795796316793)).toBe(1795796316793);
    expect(temporalToEpochMs(1795796316793281)).toBeCloseTo(CREATED_MS, 3);
    expect(temporalToEpochMs(1795796316793281000)).toBeCloseTo(CREATED_MS, 0);
    expect(temporalToEpochMs(1795796316793, "io.debezium.data.Uuid")).toBe(1795796316793);
  });

  it("gives undefined for what is not a point in time", () => {
    for (const value of [undefined, null, true, "pending", "", {}, [], Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(temporalToEpochMs(value)).toBeUndefined();
    }
  });
});
