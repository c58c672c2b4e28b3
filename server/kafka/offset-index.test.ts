import { describe, expect, it } from "vitest";
import { INDEX_RESOLUTION_MS, OffsetTimestampIndex } from "./offset-index";

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("OffsetTimestampIndex", () => {
  it("answers nothing while empty, below its first entry, or beyond the last record seen", () => {
    const index = new OffsetTimestampIndex();
    expect(index.timestampAt(0)).toBeUndefined();
    index.record(100, 1_000);
    index.record(101, 1_010);
    expect(index.timestampAt(99)).toBeUndefined();
    expect(index.timestampAt(102)).toBeUndefined();
    expect(index.timestampAt(100)).toBe(1_000);
    expect(index.timestampAt(101)).toBe(1_000);
    expect(index.firstOffset).toBe(100);
    expect(index.lastOffset).toBe(101);
  });

  it("is within the resolution for every offset of a stream with irregular gaps between timestamps", () => {
    const random = seeded(7);
    const index = new OffsetTimestampIndex();
    const truth: number[] = [];
    let timestamp = 1_700_000_000_000;
    for (let offset = 0; offset < 50_000; offset++) {
      // Mostly bursts (0-3 ms apart), sometimes pauses of up to a second.
      timestamp += random() < 0.01 ? Math.floor(random() * 1_000) : Math.floor(random() * 4);
      truth.push(timestamp);
      index.record(offset, timestamp);
    }
    let worst = 0;
    for (let offset = 0; offset < truth.length; offset++) {
      const answer = index.timestampAt(offset);
      expect(answer).toBeDefined();
      worst = Math.max(worst, Math.abs(answer! - truth[offset]!));
    }
    expect(worst).toBeLessThan(INDEX_RESOLUTION_MS);
  });

  it("stays within the resolution when the producer's clock steps back and forth", () => {
    const random = seeded(11);
    const index = new OffsetTimestampIndex();
    const truth: number[] = [];
    let clock = 1_000_000;
    for (let offset = 0; offset < 20_000; offset++) {
      clock += 2;
      // Two producers whose clocks disagree by up to ±300 ms, interleaved.
      const timestamp = clock + (random() < 0.5 ? 0 : Math.floor(random() * 600) - 300);
      truth.push(timestamp);
      index.record(offset, timestamp);
    }
    for (let offset = 0; offset < truth.length; offset++) {
      expect(Math.abs(index.timestampAt(offset)! - truth[offset]!)).toBeLessThan(INDEX_RESOLUTION_MS);
    }
  });

  it("maps offsets inside a gap (compacted records, transaction markers) to the next record that exists", () => {
    const index = new OffsetTimestampIndex();
    index.record(10, 1_000);
    index.record(11, 1_001);
    index.record(20, 5_000);
    expect(index.timestampAt(11)).toBe(1_000);
    expect(index.timestampAt(12)).toBe(5_000);
    expect(index.timestampAt(19)).toBe(5_000);
    expect(index.timestampAt(20)).toBe(5_000);
  });

  it("starts over when offsets go back (the topic was recreated under the tail)", () => {
    const index = new OffsetTimestampIndex();
    index.record(500, 1_000);
    index.record(501, 2_000);
    index.record(0, 9_000);
    expect(index.timestampAt(500)).toBeUndefined();
    expect(index.timestampAt(0)).toBe(9_000);
    expect(index.size).toBe(1);
  });

  it("covers 15 minutes at 5,000 records a second within its bound, at most ten entries per second", () => {
    const index = new OffsetTimestampIndex();
    const rate = 5_000;
    const seconds = 15 * 60;
    const start = 1_700_000_000_000;
    for (let offset = 0; offset < rate * seconds; offset++) index.record(offset, start + Math.floor((offset * 1000) / rate));
    expect(index.size).toBeLessThanOrEqual(seconds * (1000 / INDEX_RESOLUTION_MS) + 1);
    expect(index.firstOffset).toBe(0);
    // The oldest record of the 15 minutes, one in the middle, and the newest.
    for (const offset of [0, 1_234_567, rate * seconds - 1]) {
      const truth = start + Math.floor((offset * 1000) / rate);
      expect(Math.abs(index.timestampAt(offset)! - truth)).toBeLessThan(INDEX_RESOLUTION_MS);
    }
  });

  it("drops its oldest entries when full, and no longer answers for their offsets", () => {
    const index = new OffsetTimestampIndex(4);
    for (let i = 0; i < 10; i++) index.record(i, i * 1_000);
    expect(index.size).toBe(4);
    expect(index.firstOffset).toBe(6);
    expect(index.timestampAt(5)).toBeUndefined();
    expect(index.timestampAt(6)).toBe(6_000);
    expect(index.timestampAt(9)).toBe(9_000);
  });
});
