import type { MessageFilter } from "@/lib/contracts/message-filter";
import { formatCount } from "@/lib/format/numbers";
import { formatDuration } from "@/lib/format/duration";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { OP_LABELS } from "../op-badge";
import type { SearchView } from "../url-state";

/** A search's filter in words, one clause per field: `event type OrderPlaced`, `payload.id equals 7`. */
export function describeFilter(filter: MessageFilter): string[] {
  const clauses: string[] = [];
  if (filter.op) clauses.push(`op ${filter.op.map((op) => OP_LABELS[op]).join(" or ")}`);
  if (filter.eventType !== undefined) clauses.push(`event type ${filter.eventType}`);
  if (filter.aggregateType !== undefined) clauses.push(`aggregate type ${filter.aggregateType}`);
  if (filter.aggregateId !== undefined) clauses.push(`aggregate id ${filter.aggregateId}`);
  if (filter.key !== undefined) clauses.push(`key ${filter.key}`);
  if (filter.header) clauses.push(`header ${filter.header.name} = ${filter.header.value}`);
  if (filter.path) clauses.push(filter.path.match === "exists" ? `${filter.path.path} exists` : `${filter.path.path} ${filter.path.match} ${filter.path.value ?? ""}`);
  if (filter.text !== undefined) clauses.push(`text “${filter.text}”`);
  return clauses;
}

function describeFrom(from: string): string {
  if (from === "beginning") return "the beginning";
  if (from.startsWith("end-")) return `${formatCount(Number(from.slice(4)))} before the end`;
  if (from.startsWith("@")) return `positions ${from.slice(1)}`;
  if (/^\d+$/.test(from)) return `offset ${from}`;
  return formatUtcTimestamp(from);
}

/** The whole search in one line: what, where and how far. */
export function describeSearch(view: Omit<SearchView, "searchId">, defaultTopic: string | null): string {
  const filter = describeFilter(view.filter);
  const topic = view.topic ?? defaultTopic ?? "the outbox topic";
  const partitions = view.partitions ? `partition${view.partitions.length === 1 ? "" : "s"} ${view.partitions.join(", ")}` : "all partitions";
  const range = `from ${describeFrom(view.from)} to ${view.to === "end" ? "the end" : formatUtcTimestamp(view.to)}`;
  const limits = `at most ${formatCount(view.maxScanned)} scanned, ${formatCount(view.maxResults)} results, ${formatDuration(view.timeoutMs)}`;
  return [filter.length > 0 ? filter.join(" and ") : "every record", `in ${topic} (${partitions})`, range, limits].join(" · ");
}
