import type { MessageOp, TailFilter } from "@/lib/contracts/message-filter";
import type { TailRecordSummary } from "@/lib/contracts/tail";

const CHANGE_OPS: ReadonlySet<string> = new Set(["c", "u", "d", "r", "t"]);

/** The op a filter names a record by: Debezium's five, a tombstone, or anything else ("other"). */
export function summaryOp(summary: Pick<TailRecordSummary, "kind" | "op">): MessageOp {
  if (summary.kind === "tombstone") return "tombstone";
  if (summary.kind === "change" && summary.op !== null && CHANGE_OPS.has(summary.op)) return summary.op as MessageOp;
  return "other";
}

/**
 * Whether a record already in the list still belongs there under a new quick filter, judged from
 * its summary. The server filters what it sends from then on; this only decides which of the rows
 * already shown stay, so a filter narrows the list at once instead of emptying it. `text` is
 * matched against the summary's fields (key, ids, types, status): a record that matched only in
 * its value is not kept, since its value is not in the browser.
 */
export function summaryMatchesTailFilter(summary: TailRecordSummary, filter: TailFilter): boolean {
  if (filter.op && !filter.op.includes(summaryOp(summary))) return false;
  if (filter.partition !== undefined && summary.partition !== filter.partition) return false;
  if (filter.eventType !== undefined && summary.eventType !== filter.eventType) return false;
  if (filter.aggregateType !== undefined && summary.aggregateType !== filter.aggregateType) return false;
  if (filter.aggregateId !== undefined && summary.aggregateId !== filter.aggregateId) return false;
  if (filter.text !== undefined) {
    const needle = filter.text.toLowerCase();
    const fields = [summary.key, summary.eventId, summary.eventType, summary.aggregateType, summary.aggregateId, summary.status];
    if (!fields.some((field) => field !== null && field.toLowerCase().includes(needle))) return false;
  }
  return true;
}
