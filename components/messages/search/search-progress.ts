import { searchProgressSchema, type SearchProgress, type SearchResult } from "@/lib/contracts/messages";
import { formatOffset } from "@/lib/format/numbers";

/**
 * A search's progress arrives two ways, pushed (`search:progress`) and with the results (GET
 * search/<id>), and the two can cross: the later state wins, a finished search never goes back to
 * running, and counts never go backwards.
 */
export function newerSearchProgress(current: SearchProgress | undefined, next: SearchProgress): SearchProgress {
  if (!current || current.searchId !== next.searchId) return next;
  if (current.state === "done" && next.state !== "done") return current;
  if (next.state === "done" && current.state !== "done") return next;
  return next.scanned >= current.scanned && next.elapsedMs >= current.elapsedMs ? next : current;
}

/** The progress part of a result (everything but the matches). */
export function progressOf(result: SearchResult): SearchProgress {
  // The progress schema is not strict: parsing keeps its own fields and leaves `results` out.
  return searchProgressSchema.parse(result);
}

/** How far through its range the search is, 0 to 1; null when the range was empty. */
export function scannedFraction(progress: Pick<SearchProgress, "scanned" | "rangeTotal" | "state" | "stopReason">): number | null {
  if (progress.state === "done" && progress.stopReason === "range-end") return 1;
  if (progress.rangeTotal <= 0) return null;
  return Math.min(1, progress.scanned / progress.rangeTotal);
}

/** "0 @ 1,234 · 1 @ 98": the next offset to read in each partition, in partition order. */
export function describePositions(positions: Readonly<Record<string, string>>): string {
  const partitions = Object.keys(positions).sort((a, b) => Number(a) - Number(b));
  if (partitions.length === 0) return "—";
  return partitions.map((partition) => `${partition} @ ${formatOffset(positions[partition])}`).join(" · ");
}

/**
 * Whether the matches shown are behind the progress: new matches were counted, or the search
 * finished after the results were read (its last matches may have come with the end).
 */
export function resultsBehind(progress: SearchProgress, shown: Pick<SearchResult, "matched" | "state" | "results"> | undefined): boolean {
  if (!shown) return true;
  if (progress.state === "done" && shown.state !== "done") return true;
  return progress.matched > shown.matched;
}
