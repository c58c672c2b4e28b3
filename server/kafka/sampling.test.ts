import { describe, expect, it } from "vitest";
import { MAX_DECODE_EVERY, RecentRate, SAMPLE_ABOVE_RECORDS_PER_SEC, SAMPLE_WHEN_BEHIND_RECORDS, decodeEveryFor, isSampled, keyHash } from "./sampling";

const encoder = new TextEncoder();
const eventKey = (i: number) => encoder.encode(`{"event_id":"${(0x10000000 + i * 7919).toString(16)}-4966-4845-9bcb-${String(i).padStart(12, "0")}"}`);

describe("decodeEveryFor", () => {
  it("decodes everything at normal rates and when barely behind", () => {
    expect(decodeEveryFor({ behindRecords: 0, recordsPerSec: 0 })).toBe(1);
    expect(decodeEveryFor({ behindRecords: SAMPLE_WHEN_BEHIND_RECORDS, recordsPerSec: SAMPLE_ABOVE_RECORDS_PER_SEC })).toBe(1);
    expect(decodeEveryFor({ behindRecords: 400, recordsPerSec: 1_500 })).toBe(1);
  });

  it("samples the most while catching up", () => {
    expect(decodeEveryFor({ behindRecords: SAMPLE_WHEN_BEHIND_RECORDS + 1, recordsPerSec: 0 })).toBe(MAX_DECODE_EVERY);
    expect(decodeEveryFor({ behindRecords: 1_000_000, recordsPerSec: 200 })).toBe(MAX_DECODE_EVERY);
  });

  it("above the rate, decodes about SAMPLE_ABOVE_RECORDS_PER_SEC a second, in powers of two up to the maximum", () => {
    expect(decodeEveryFor({ behindRecords: 0, recordsPerSec: SAMPLE_ABOVE_RECORDS_PER_SEC + 1 })).toBe(2);
    expect(decodeEveryFor({ behindRecords: 0, recordsPerSec: 4 * SAMPLE_ABOVE_RECORDS_PER_SEC })).toBe(4);
    expect(decodeEveryFor({ behindRecords: 0, recordsPerSec: 5 * SAMPLE_ABOVE_RECORDS_PER_SEC })).toBe(8);
    expect(decodeEveryFor({ behindRecords: 0, recordsPerSec: 10_000_000 })).toBe(MAX_DECODE_EVERY);
    for (let rate = 0; rate < 1_000_000; rate += 3_333) {
      const every = decodeEveryFor({ behindRecords: 0, recordsPerSec: rate });
      expect(Number.isInteger(Math.log2(every))).toBe(true);
      if (every < MAX_DECODE_EVERY) expect(rate / every).toBeLessThanOrEqual(SAMPLE_ABOVE_RECORDS_PER_SEC);
    }
  });

  it("treats an unknown rate as normal", () => {
    expect(decodeEveryFor({ behindRecords: 0, recordsPerSec: Number.NaN })).toBe(1);
  });
});

describe("isSampled", () => {
  it("keeps everything at 1", () => {
    for (let i = 0; i < 100; i++) expect(isSampled(eventKey(i), i, 1)).toBe(true);
    expect(isSampled(null, 7, 1)).toBe(true);
  });

  it("decides by key alone: an event's insert and write-back (same key, other offsets) go together", () => {
    for (let i = 0; i < 1_000; i++) {
      const insert = isSampled(eventKey(i), i, 16);
      const writeBack = isSampled(eventKey(i), i + 12_345, 16);
      expect(writeBack).toBe(insert);
    }
  });

  it("samples about 1 in K of distinct keys", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => eventKey(i));
    for (const every of [2, 8, 64]) {
      const share = keys.filter((key, i) => isSampled(key, i, every)).length / keys.length;
      expect(share).toBeGreaterThan(0.8 / every);
      expect(share).toBeLessThan(1.2 / every);
    }
  });

  it("nests: a key sampled at a sparser rate is sampled at every denser one", () => {
    for (let i = 0; i < 5_000; i++) {
      const key = eventKey(i);
      for (let every = 2; every <= MAX_DECODE_EVERY; every *= 2) {
        if (isSampled(key, 0, every)) expect(isSampled(key, 0, every / 2)).toBe(true);
      }
    }
  });

  it("samples keyless records by offset", () => {
    const sampled = Array.from({ length: 64 }, (_, offset) => offset).filter((offset) => isSampled(null, offset, 8));
    expect(sampled).toEqual([0, 8, 16, 24, 32, 40, 48, 56]);
  });

  it("hashes with FNV-1a plus a finalizer, deterministically", () => {
    expect(keyHash(encoder.encode("a"))).toBe(keyHash(encoder.encode("a")));
    expect(keyHash(encoder.encode("a"))).not.toBe(keyHash(encoder.encode("b")));
    expect(keyHash(new Uint8Array(0))).toBeGreaterThanOrEqual(0);
    // Keys that differ in one bit still spread over the low bits that the sampling reads.
    const low = new Set(Array.from({ length: 64 }, (_, i) => keyHash(encoder.encode(`{"id":${i * 2}}`)) & 63));
    expect(low.size).toBeGreaterThan(30);
  });
});

describe("RecentRate", () => {
  it("reports the previous complete second, or the current one once it is higher", () => {
    const rate = new RecentRate();
    expect(rate.perSecond(100)).toBe(0);
    rate.add(100, 3_000);
    expect(rate.perSecond(100)).toBe(3_000);
    rate.add(101, 500);
    expect(rate.perSecond(101)).toBe(3_000);
    rate.add(101, 4_000);
    expect(rate.perSecond(101)).toBe(4_500);
    expect(rate.perSecond(102)).toBe(4_500);
  });

  it("forgets a rate after a pause of a second or more", () => {
    const rate = new RecentRate();
    rate.add(100, 50_000);
    expect(rate.perSecond(102)).toBe(0);
    rate.add(105, 10);
    expect(rate.perSecond(105)).toBe(10);
  });
});
