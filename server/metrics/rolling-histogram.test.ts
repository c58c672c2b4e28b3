import { describe, expect, it } from "vitest";
import { RollingHistogram } from "./rolling-histogram";
import { exactPercentile, seededRandom } from "./test-random";

interface Sample {
  value: number;
  chunk: number;
}

describe("RollingHistogram", () => {
  it("holds exactly the samples of the current chunk and the n − 1 before it, through random gaps and jumps", () => {
    const random = seededRandom(7);
    const chunkMs = 1_000;
    const windowChunks = [3, 10];
    const rolling = new RollingHistogram(chunkMs, windowChunks.map((n) => n * chunkMs));
    const samples: Sample[] = [];
    let now = 1_700_000_000_000;
    for (let step = 0; step < 3_000; step++) {
      // Mostly small steps, sometimes a pause of several windows (a quiet pipeline).
      now += random() < 0.01 ? Math.floor(random() * 25_000) : Math.floor(random() * 400);
      const value = 1 + Math.floor(random() * 5_000);
      rolling.record(value, now);
      const head = Math.floor(now / chunkMs);
      samples.push({ value, chunk: head });

      windowChunks.forEach((n, i) => {
        const inWindow = samples.filter((s) => s.chunk > head - n).map((s) => s.value).sort((a, b) => a - b);
        const window = rolling.window(i);
        expect(window.totalCount).toBe(inWindow.length);
        if (step % 50 === 0) {
          const p99 = window.getValueAtPercentile(99);
          expect(Math.abs(p99 - exactPercentile(inWindow, 99))).toBeLessThanOrEqual(exactPercentile(inWindow, 99) / 128);
        }
      });
    }
  });

  it("counts a sample stamped before the newest chunk in the newest chunk (time only moves forward)", () => {
    const rolling = new RollingHistogram(1_000, [2_000]);
    rolling.record(10, 5_500);
    rolling.record(20, 1_000); // 4.5 s late
    expect(rolling.chunkAt(5_000)?.totalCount).toBe(2);
    expect(rolling.chunkAt(1_000)).toBeNull();
    rolling.advance(6_999);
    expect(rolling.window(0).totalCount).toBe(2);
    rolling.advance(7_000);
    expect(rolling.window(0).totalCount).toBe(0);
    expect(rolling.empty).toBe(true);
  });

  it("forgets a window's max when the chunk that held it expires", () => {
    const rolling = new RollingHistogram(1_000, [2_000]);
    rolling.record(9_000, 0);
    rolling.record(100, 1_000);
    expect(rolling.window(0).maxValue).toBe(9_000);
    rolling.advance(2_000);
    expect(rolling.window(0).totalCount).toBe(1);
    expect(rolling.window(0).maxValue).toBeLessThan(101);
  });

  it("rejects windows that are not whole chunks", () => {
    expect(() => new RollingHistogram(1_000, [1_500])).toThrow(/multiple/);
    expect(() => new RollingHistogram(1_000, [])).toThrow();
  });
});
