import type { OutboxRow } from "@/lib/contracts/outbox";

/**
 * The rows of a refreshed page that are new, or whose status or update time changed, since the
 * previous answer for the same page: what the live table highlights. Both lists are server pages
 * (≤ MAX_PAGE_ROWS), so the lookup is bounded.
 */
export function changedRowIds(previous: readonly OutboxRow[], next: readonly OutboxRow[]): string[] {
  const before = new Map(previous.map((row) => [row.eventId, row]));
  return next
    .filter((row) => {
      const old = before.get(row.eventId);
      return old === undefined || old.status !== row.status || old.updatedAt !== row.updatedAt;
    })
    .map((row) => row.eventId);
}
