import { EXPORT_MAX_RECORDS, MESSAGES_API, type BrowsePage } from "@/lib/contracts/messages";
import type { MessageFilter } from "@/lib/contracts/message-filter";
import type { BrowseView, SearchView } from "../url-state";

/**
 * Links to the server's streamed export (GET /api/messages/export): the browser downloads the
 * file itself (content-disposition), so an export of 100,000 records never passes through the
 * page's memory.
 */

export type ExportFormat = "jsonl" | "csv";

/** What an export link asks for, before it is written as a query string. */
export interface ExportRange {
  topic?: string;
  partition: "all" | number;
  from: string;
  to?: string;
  filter?: MessageFilter;
  limit: number;
}

export function exportHref(range: ExportRange, format: ExportFormat): string {
  const params = new URLSearchParams();
  if (range.topic) params.set("topic", range.topic);
  if (range.partition !== "all") params.set("partition", String(range.partition));
  params.set("from", range.from);
  if (range.to && range.to !== "end") params.set("to", range.to);
  params.set("format", format);
  params.set("limit", String(Math.min(Math.max(1, Math.floor(range.limit)), EXPORT_MAX_RECORDS)));
  if (range.filter && Object.keys(range.filter).length > 0) params.set("filter", JSON.stringify(range.filter));
  return `${MESSAGES_API.export}?${params.toString()}`;
}

/**
 * The browse range from the first record of the page shown: the page's older cursor holds where
 * the page starts in each partition it read (none: the page starts at the beginning of the log).
 */
export function browseExportRange(view: Pick<BrowseView, "topic" | "partition">, page: Pick<BrowsePage, "topic" | "older">, limit: number): ExportRange {
  return { topic: page.topic, partition: view.partition, from: page.older?.from ?? "beginning", limit };
}

/**
 * The search's range and filter. An export takes one partition or all: a search of several (not
 * all) partitions exports all of them, which `allPartitions` says so the page can tell the user.
 */
export function searchExportRange(view: SearchView, limit: number): ExportRange & { allPartitions: boolean } {
  const partitions = view.partitions ?? [];
  const partition = partitions.length === 1 ? partitions[0]! : "all";
  return { topic: view.topic, partition, from: view.from, to: view.to, filter: view.filter, limit, allPartitions: partitions.length > 1 };
}
