import { describe, expect, it } from "vitest";
import { downsample, type ChartRow } from "./downsample";

function series(values: readonly (number | null)[], key = "lag"): ChartRow[] {
  return values.map((value, index) => ({ at: 1_000 * index, [key]: value }));
}

describe("downsample", () => {
  it("returns the rows untouched when they fit", () => {
    const rows = series([1, 2, 3]);
    expect(downsample(rows, 3)).toBe(rows);
    expect(downsample(rows, 900)).toBe(rows);
  });

  it("returns at most maxPoints rows, in time order", () => {
    const rows = series(Array.from({ length: 900 }, (_, index) => Math.sin(index / 10)));
    for (const maxPoints of [2, 3, 10, 99, 100, 640, 899]) {
      const reduced = downsample(rows, maxPoints);
      expect(reduced.length).toBeLessThanOrEqual(maxPoints);
      expect(reduced.length).toBeGreaterThanOrEqual(maxPoints - 1);
      for (let index = 1; index < reduced.length; index++) expect(reduced[index]!.at).toBeGreaterThanOrEqual(reduced[index - 1]!.at);
    }
  });

  it("keeps a one-point spike and a one-point dip", () => {
    const values: number[] = Array.from({ length: 900 }, () => 10);
    values[437] = 5_000;
    values[611] = 0;
    const reduced = downsample(series(values), 100);
    const lags = reduced.map((row) => row.lag);
    expect(Math.max(...(lags as number[]))).toBe(5_000);
    expect(Math.min(...(lags as number[]))).toBe(0);
  });

  it("keeps each series' extremes in the order they occurred", () => {
    // One bucket of four rows: lag rises to its max after its min, rate falls.
    const rows: ChartRow[] = [
      { at: 0, lag: 5, rate: 9 },
      { at: 1, lag: 1, rate: 7 },
      { at: 2, lag: 8, rate: 2 },
      { at: 3, lag: 6, rate: 4 },
    ];
    expect(downsample(rows, 2)).toEqual([
      { at: 0, lag: 1, rate: 9 },
      { at: 3, lag: 8, rate: 2 },
    ]);
  });

  it("keeps unknown as null: a bucket with no value stays a gap, never 0", () => {
    const rows = series([null, null, null, null, 4, null, 2, 7]);
    expect(downsample(rows, 4)).toEqual([
      { at: 0, lag: null },
      { at: 3_000, lag: null },
      { at: 4_000, lag: 2 },
      { at: 7_000, lag: 7 },
    ]);
  });

  it("covers the whole time span", () => {
    const rows = series(Array.from({ length: 901 }, (_, index) => index));
    const reduced = downsample(rows, 300);
    expect(reduced[0]!.at).toBe(0);
    expect(reduced[reduced.length - 1]!.at).toBe(900_000);
    expect(reduced[reduced.length - 1]!.lag).toBe(900);
  });

  it("handles series that appear part-way through", () => {
    const rows = Array.from({ length: 10 }, (_, index): ChartRow => (index < 5 ? { at: index, a: index } : { at: index, a: index, b: 100 - index }));
    const reduced = downsample(rows, 4);
    expect(reduced).toEqual([
      { at: 0, a: 0, b: null },
      { at: 4, a: 4, b: null },
      { at: 5, a: 5, b: 95 },
      { at: 9, a: 9, b: 91 },
    ]);
  });

  it("degrades to the newest row below two points and ignores a nonsense limit", () => {
    const rows = series([1, 2, 3, 4]);
    expect(downsample(rows, 1)).toEqual([{ at: 3_000, lag: 4 }]);
    expect(downsample(rows, Number.NaN)).toBe(rows);
  });
});
