import { describe, expect, it } from "vitest";
import { parseStartPosition, type StartPosition } from "@/lib/contracts/messages";
import { mergePage, planPage, type PageRecord, type Watermark } from "./pages";

const marks: Watermark[] = [
  { partition: 0, low: 0, high: 10 },
  { partition: 1, low: 5, high: 8 },
];

function from(text: string): StartPosition {
  const parsed = parseStartPosition(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

/** Partition p's records at offsets [low, high) with the timestamps `time(p, offset)`. */
function log(time: (partition: number, offset: number) => number): Map<number, PageRecord[]> {
  return new Map(
    marks.map((mark) => [
      mark.partition,
      Array.from({ length: mark.high - mark.low }, (_, i) => ({ partition: mark.partition, offset: String(mark.low + i), timestamp: time(mark.partition, mark.low + i) })),
    ]),
  );
}

function slice(records: Map<number, PageRecord[]>, ranges: { partition: number; start: number; end: number }[]): Map<number, PageRecord[]> {
  return new Map(ranges.map((range) => [range.partition, (records.get(range.partition) ?? []).filter((r) => Number(r.offset) >= range.start && Number(r.offset) < range.end)]));
}

describe("planPage", () => {
  it("reads forward from the beginning, backward from the end, and from N before the end", () => {
    expect(planPage({ from: from("beginning"), limit: 4, watermarks: marks })).toEqual({ dir: "forward", ranges: [{ partition: 0, start: 0, end: 4 }, { partition: 1, start: 5, end: 8 }] });
    expect(planPage({ from: from("end"), limit: 4, watermarks: marks })).toEqual({ dir: "backward", ranges: [{ partition: 0, start: 6, end: 10 }, { partition: 1, start: 5, end: 8 }] });
    expect(planPage({ from: from("end-2"), limit: 4, watermarks: marks }).ranges).toEqual([{ partition: 0, start: 8, end: 10 }, { partition: 1, start: 6, end: 8 }]);
  });

  it("clamps an offset to the log and reads a time's offsets (none yet: the end)", () => {
    expect(planPage({ from: from("99"), limit: 3, watermarks: [marks[0]!] }).ranges).toEqual([{ partition: 0, start: 10, end: 10 }]);
    expect(planPage({ from: from("2"), limit: 3, watermarks: [marks[0]!] }).ranges).toEqual([{ partition: 0, start: 2, end: 5 }]);
    const timeOffsets = new Map([[0, 7], [1, -1]]);
    expect(planPage({ from: from("2026-01-01T00:00:00Z"), limit: 3, watermarks: marks, timeOffsets }).ranges).toEqual([{ partition: 0, start: 7, end: 10 }, { partition: 1, start: 8, end: 8 }]);
  });
});

describe("mergePage", () => {
  it("pages forward through every record exactly once, even with timestamps out of order within a partition", () => {
    // Partition 0's timestamps go backwards now and then.
    const records = log((partition, offset) => (partition === 0 ? [5, 3, 9, 1, 20, 2, 7, 30, 8, 4][offset]! : offset * 3));
    const seen: string[] = [];
    let cursor = { from: "beginning", dir: "forward" as const };
    for (let page = 0; page < 10; page++) {
      const plan = planPage({ from: from(cursor.from), dir: cursor.dir, limit: 3, watermarks: marks });
      const merged = mergePage(plan, slice(records, plan.ranges), 3, marks);
      seen.push(...merged.records.map((r) => `${r.partition}:${r.offset}`));
      if (merged.records.length === 0) break;
      cursor = merged.newer as typeof cursor;
    }
    expect(seen.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `0:${i}`), "1:5", "1:6", "1:7"].sort());
    expect(new Set(seen).size).toBe(13);
  });

  it("pages backward from the end to the start, newest pages first, and says when it is at the start", () => {
    const records = log((partition, offset) => offset * 10 + partition);
    const pages: string[][] = [];
    let cursor: { from: string; dir: "forward" | "backward" } | null = { from: "end", dir: "backward" };
    while (cursor) {
      const plan = planPage({ from: from(cursor.from), dir: cursor.dir, limit: 4, watermarks: marks });
      const merged = mergePage(plan, slice(records, plan.ranges), 4, marks);
      pages.push(merged.records.map((r) => `${r.partition}:${r.offset}`));
      cursor = merged.older;
      if (pages.length > 10) throw new Error("did not reach the start");
    }
    expect(pages[0]).toEqual(["0:7", "1:7", "0:8", "0:9"]);
    expect(pages.flat()).toHaveLength(13);
    expect(new Set(pages.flat()).size).toBe(13);
    // Each page is in log order and older than the page before it.
    expect(pages.at(-1)![0]).toBe("0:0");
  });

  it("gives cursors that lead back: newer of an older page is where the older page started", () => {
    const records = log((partition, offset) => offset * 10 + partition);
    const plan = planPage({ from: from("end"), limit: 4, watermarks: marks });
    const page = mergePage(plan, slice(records, plan.ranges), 4, marks);
    expect(page.newer).toEqual({ from: "@0:10,1:8", dir: "forward" });
    expect(page.older).toEqual({ from: "@0:7,1:7", dir: "backward" });
  });

  it("moves past a partition's range when it held no records (a compacted gap)", () => {
    const plan = { dir: "forward" as const, ranges: [{ partition: 0, start: 0, end: 4 }] };
    const page = mergePage(plan, new Map([[0, []]]), 4, [{ partition: 0, low: 0, high: 10 }]);
    expect(page.records).toEqual([]);
    expect(page.newer.from).toBe("@0:4");
    expect(page.older).toBeNull();
  });
});
