import { formatPositions, type PageCursor, type StartPosition } from "@/lib/contracts/messages";

/**
 * Browse pages of a topic, pure: which offset range of each partition a page reads, and how the
 * records read are merged into one page with its cursors. A page reads at most `limit` records per
 * partition; the merge takes records in timestamp order but always a prefix (forward) or a suffix
 * (backward) of each partition's records, so consecutive pages neither skip nor repeat a record
 * even when timestamps within a partition are out of order.
 */

export interface Watermark {
  partition: number;
  low: number;
  high: number;
}

/** [start, end) of one partition. */
export interface OffsetRange {
  partition: number;
  start: number;
  end: number;
}

export type Direction = "forward" | "backward";

export interface PagePlan {
  dir: Direction;
  ranges: OffsetRange[];
}

export interface PlanInput {
  from: StartPosition;
  dir?: Direction;
  limit: number;
  watermarks: readonly Watermark[];
  /** For `from` = a time: each partition's first offset at or after it (-1: none yet). */
  timeOffsets?: ReadonlyMap<number, number>;
}

function clamp(offset: number, mark: Watermark): number {
  return Math.min(Math.max(offset, mark.low), mark.high);
}

/** The ranges a page reads; `watermarks` lists the chosen partitions (one, or all). */
export function planPage(input: PlanInput): PagePlan {
  const { from, limit, watermarks } = input;
  const dir: Direction = input.dir ?? (from.kind === "end" ? "backward" : "forward");
  const position = (mark: Watermark): number => {
    switch (from.kind) {
      case "beginning":
        return mark.low;
      case "end":
        return mark.high;
      case "endMinus":
        return clamp(mark.high - from.count, mark);
      case "offset":
        return clamp(Number(from.offset), mark);
      case "time": {
        const offset = input.timeOffsets?.get(mark.partition);
        return offset === undefined || offset < 0 ? mark.high : clamp(offset, mark);
      }
      case "positions": {
        const offset = from.positions[mark.partition];
        if (offset === undefined) return dir === "forward" ? mark.low : mark.high;
        return clamp(Number(offset), mark);
      }
    }
  };
  const ranges = watermarks.map((mark) => {
    const at = position(mark);
    return dir === "forward"
      ? { partition: mark.partition, start: at, end: Math.min(mark.high, at + limit) }
      : { partition: mark.partition, start: Math.max(mark.low, at - limit), end: at };
  });
  return { dir, ranges };
}

export interface PageRecord {
  partition: number;
  offset: string;
  timestamp: number;
}

export interface MergedPage<R extends PageRecord> {
  /** Log order: oldest first. */
  records: R[];
  newer: PageCursor;
  older: PageCursor | null;
}

/**
 * Merges each partition's records (offset order, inside its planned range) into one page of at
 * most `limit`, and the cursors to the pages on either side.
 */
export function mergePage<R extends PageRecord>(
  plan: PagePlan,
  byPartition: ReadonlyMap<number, readonly R[]>,
  limit: number,
  watermarks: readonly Watermark[],
): MergedPage<R> {
  const taken = new Map<number, number>();
  const picked: R[] = [];
  const lists = plan.ranges.map((range) => ({ range, records: byPartition.get(range.partition) ?? [] }));
  if (plan.dir === "forward") {
    const heads = lists.map(() => 0);
    while (picked.length < limit) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        const record = lists[i]!.records[heads[i]!];
        if (record === undefined) continue;
        const current = best < 0 ? undefined : lists[best]!.records[heads[best]!];
        if (current === undefined || record.timestamp < current.timestamp || (record.timestamp === current.timestamp && record.partition < current.partition)) best = i;
      }
      if (best < 0) break;
      picked.push(lists[best]!.records[heads[best]!]!);
      heads[best]! += 1;
      taken.set(lists[best]!.range.partition, heads[best]!);
    }
  } else {
    const tails = lists.map((list) => list.records.length - 1);
    while (picked.length < limit) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        const record = tails[i]! >= 0 ? lists[i]!.records[tails[i]!] : undefined;
        if (record === undefined) continue;
        const current = best < 0 ? undefined : lists[best]!.records[tails[best]!];
        if (current === undefined || record.timestamp > current.timestamp || (record.timestamp === current.timestamp && record.partition > current.partition)) best = i;
      }
      if (best < 0) break;
      picked.push(lists[best]!.records[tails[best]!]!);
      tails[best]! -= 1;
      taken.set(lists[best]!.range.partition, lists[best]!.records.length - 1 - tails[best]!);
    }
    picked.reverse();
  }

  // Where each partition's part of the page starts and ends. A partition whose records were all
  // taken covers its whole range (gaps of a compacted or transactional log included).
  const first: Record<number, string> = {};
  const after: Record<number, string> = {};
  for (const { range, records } of lists) {
    const count = taken.get(range.partition) ?? 0;
    const all = count === records.length;
    if (plan.dir === "forward") {
      first[range.partition] = String(range.start);
      after[range.partition] = String(all ? range.end : Number(records[count - 1]?.offset ?? range.start - 1) + 1);
    } else {
      after[range.partition] = String(range.end);
      first[range.partition] = all ? String(range.start) : count === 0 ? String(range.end) : records[records.length - count]!.offset;
    }
  }
  const lows = new Map(watermarks.map((mark) => [mark.partition, mark.low]));
  const atStart = plan.ranges.every((range) => Number(first[range.partition]) <= (lows.get(range.partition) ?? 0));
  return {
    records: picked,
    newer: { from: formatPositions(after), dir: "forward" },
    older: atStart ? null : { from: formatPositions(first), dir: "backward" },
  };
}
