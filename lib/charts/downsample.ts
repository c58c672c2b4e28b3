/**
 * One row of a time-series chart: the time and one value per series (null where unknown, which a
 * chart draws as a gap, never as 0).
 */
export interface ChartRow {
  at: number;
  [series: string]: number | null;
}

/**
 * Reduces rows to at most `maxPoints` so a chart draws about one point per pixel, keeping every
 * series' extremes: the rows are cut into ⌊maxPoints / 2⌋ consecutive buckets, and each bucket
 * becomes two rows that carry, for every series, its minimum and maximum in the bucket, in the
 * order they occurred. A one-second lag spike in 15 minutes therefore survives at any width,
 * where averaging or picking every n-th row would flatten or drop it.
 *
 * The two rows of a bucket are stamped with its first and last time. Rows are assumed to be sorted
 * by time and evenly spaced (the history is one point a second), so buckets are cut by index.
 */
export function downsample(rows: readonly ChartRow[], maxPoints: number): readonly ChartRow[] {
  const limit = Math.floor(maxPoints);
  if (!Number.isFinite(limit)) return rows;
  if (rows.length <= limit || rows.length <= 2) return rows;
  // Below two points there is no min/max pair to keep; one row per bucket is the best left.
  if (limit < 2) return rows.slice(-1);

  const bucketCount = Math.floor(limit / 2);
  const seriesKeys = collectSeriesKeys(rows);
  const result: ChartRow[] = [];
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    // Spread the remainder over the buckets so none is more than one row larger than another.
    const start = Math.floor((bucket * rows.length) / bucketCount);
    const end = Math.floor(((bucket + 1) * rows.length) / bucketCount);
    if (end <= start) continue;
    if (end - start === 1) {
      result.push(rows[start] as ChartRow);
      continue;
    }
    const first: ChartRow = { at: (rows[start] as ChartRow).at };
    const last: ChartRow = { at: (rows[end - 1] as ChartRow).at };
    for (const key of seriesKeys) {
      const extremes = bucketExtremes(rows, start, end, key);
      if (!extremes) {
        first[key] = null;
        last[key] = null;
      } else if (extremes.minIndex <= extremes.maxIndex) {
        first[key] = extremes.min;
        last[key] = extremes.max;
      } else {
        first[key] = extremes.max;
        last[key] = extremes.min;
      }
    }
    result.push(first, last);
  }
  return result;
}

function collectSeriesKeys(rows: readonly ChartRow[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (key !== "at") keys.add(key);
  return [...keys];
}

function bucketExtremes(rows: readonly ChartRow[], start: number, end: number, key: string) {
  let min = Infinity;
  let max = -Infinity;
  let minIndex = -1;
  let maxIndex = -1;
  for (let index = start; index < end; index++) {
    const value = (rows[index] as ChartRow)[key];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    if (value < min) {
      min = value;
      minIndex = index;
    }
    if (value > max) {
      max = value;
      maxIndex = index;
    }
  }
  return minIndex < 0 ? null : { min, max, minIndex, maxIndex };
}
