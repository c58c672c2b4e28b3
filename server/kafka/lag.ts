/**
 * The arithmetic of consumer lag and offset rates, apart from any Kafka call. Offsets are numbers
 * here (exact below 2^53, which no partition reaches); the contract carries them as strings.
 */

/** Kafka's "no committed offset" (OffsetFetch answers -1). */
export const NO_OFFSET = -1;

/**
 * Records between the group's position and the end: end − committed, or end − start when the
 * group has committed nothing on the partition (it would start at the beginning, the worst case).
 * Never negative: a committed offset read after a newer end offset is not a negative backlog.
 */
export function partitionLag(endOffset: number, startOffset: number, committedOffset: number | null): number {
  const position = committedOffset === null || committedOffset < 0 ? startOffset : committedOffset;
  return Math.max(0, endOffset - position);
}

/**
 * Age of the oldest unconsumed record: now − its Kafka timestamp. 0 when nothing is unconsumed;
 * null when the record's timestamp is unknown (the tail has not indexed that offset). A timestamp
 * ahead of `now` (the producer's clock ahead of ours) counts as 0 rather than a negative age.
 */
export function timeLag(lag: number, oldestUnconsumedTimestamp: number | undefined, now: number): number | null {
  if (lag === 0) return 0;
  if (oldestUnconsumedTimestamp === undefined || !Number.isFinite(oldestUnconsumedTimestamp)) return null;
  return Math.max(0, now - oldestUnconsumedTimestamp);
}

/**
 * Per-second rate of an offset between two reads. Null without a previous read, when no time
 * passed, or when the offset went back (the topic was recreated, or a group reset its offsets):
 * a negative rate is not a rate.
 */
export function offsetRate(previous: number | undefined, current: number, intervalMs: number): number | null {
  if (previous === undefined || previous < 0 || current < 0 || !(intervalMs > 0) || current < previous) return null;
  return ((current - previous) * 1000) / intervalMs;
}

/**
 * Committed offsets advanced per second across a group's partitions, each read an array of
 * committed offsets by partition number ({@link NO_OFFSET} where none). Partitions without a
 * committed offset at both reads are left out; a partition whose offset went back (a reset)
 * counts as 0, so one reset does not hide the others' progress. Null without a previous read.
 */
export function consumeRate(previous: ArrayLike<number> | undefined, current: ArrayLike<number>, intervalMs: number): number | null {
  if (!previous || !(intervalMs > 0)) return null;
  let advanced = 0;
  const partitions = Math.min(previous.length, current.length);
  for (let partition = 0; partition < partitions; partition++) {
    const before = previous[partition]!;
    const offset = current[partition]!;
    if (before < 0 || offset < 0) continue;
    advanced += Math.max(0, offset - before);
  }
  return (advanced * 1000) / intervalMs;
}

/** Sum of non-null values; null when every value is null (nothing known), and for an empty list. */
export function sumKnown(values: readonly (number | null)[]): number | null {
  let total: number | null = null;
  for (const value of values) if (value !== null) total = (total ?? 0) + value;
  return total;
}
