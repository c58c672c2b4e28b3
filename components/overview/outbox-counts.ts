import type { OutboxStats } from "@/lib/contracts/metrics";

/**
 * The outbox's status values. The snapshot reports counts per status string; these are the
 * pipeline's default values (pending → processed, or failed), which the cards name specially.
 * Any other status the table holds is listed as it comes.
 */
export const OUTBOX_STATUS = { pending: "pending", processed: "processed", failed: "failed" } as const;
const NAMED = new Set<string>(Object.values(OUTBOX_STATUS));

export interface StatusCount {
  count: number;
  exact: boolean;
}

/** The count of one status; null when the snapshot has none for it (unknown, shown "—", not 0). */
export function countOf(outbox: OutboxStats, status: string): StatusCount | null {
  const entry = outbox.counts.find((candidate) => candidate.status === status);
  return entry ? { count: entry.count, exact: entry.exact } : null;
}

/** Statuses other than pending, processed and failed, largest first. */
export function otherCounts(outbox: OutboxStats): OutboxStats["counts"] {
  return outbox.counts.filter((entry) => !NAMED.has(entry.status)).sort((a, b) => b.count - a.count);
}
