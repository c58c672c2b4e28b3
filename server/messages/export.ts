import { EXPORT_MAX_RECORDS, SEARCH_MAX_SCANNED, type ExportQuery } from "@/lib/contracts/messages";
import { messageFilterSchema, type MessageFilter } from "@/lib/contracts/message-filter";
import { describeZodError } from "@/lib/errors/zod";
import { toCsvRow } from "@/lib/format/csv";
import { MESSAGE_CSV_COLUMNS, exportCsvRow, exportJsonLine } from "@/lib/messages/export-format";
import { RequestError } from "@/server/http/request-error";
import type { MessageReader } from "./reader";
import { planScanRange, runScan } from "./scan";

/**
 * Export of a range (optionally filtered) as JSON Lines or CSV, streamed: records are written as
 * they are read, and reading waits while the response's queue is full, so a slow download holds
 * a few chunks, never the export. At most `limit` (≤ EXPORT_MAX_RECORDS) records.
 */

/** An export gives up after this long; the download then fails rather than end as if complete. */
export const EXPORT_TIMEOUT_MS = 5 * 60_000;
/** Chunks (one record each) the response may queue before reading pauses. */
const EXPORT_QUEUE_CHUNKS = 64;

export function parseExportFilter(text: string | undefined): MessageFilter {
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RequestError(422, "filter: must be a JSON object (the search's filter)");
  }
  const parsed = messageFilterSchema.safeParse(json);
  if (!parsed.success) throw new RequestError(422, `filter: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export interface ExportResponse {
  stream: ReadableStream<Uint8Array>;
  filename: string;
  contentType: string;
}

/** Plans the export (404/422 come before any byte is sent) and returns the stream that runs it. */
export async function exportMessages(reader: MessageReader, query: ExportQuery, maskFields: readonly string[]): Promise<ExportResponse> {
  const filter = parseExportFilter(query.filter);
  const range = await planScanRange(reader, {
    topic: query.topic,
    partitions: query.partition === "all" ? "all" : [query.partition],
    from: query.from,
    to: query.to,
  });
  const limit = Math.min(query.limit, EXPORT_MAX_RECORDS);
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let resume: (() => void) | null = null;
  const wake = () => {
    resume?.();
    resume = null;
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (query.format === "csv") controller.enqueue(encoder.encode(toCsvRow([...MESSAGE_CSV_COLUMNS])));
        void runScan(reader, range, {
          filter,
          maskFields,
          maxScanned: SEARCH_MAX_SCANNED,
          maxMatches: limit,
          deadline: Date.now() + EXPORT_TIMEOUT_MS,
          signal: abort.signal,
          onMatch: async (record) => {
            controller.enqueue(encoder.encode(query.format === "csv" ? exportCsvRow(record) : exportJsonLine(record)));
            if ((controller.desiredSize ?? 1) <= 0 && !abort.signal.aborted) await new Promise<void>((resolve) => (resume = resolve));
          },
        }).then(
          (reason) => {
            if (abort.signal.aborted) return;
            if (reason === "timeout" || reason === "max-scanned") controller.error(new Error(`export stopped early: ${reason}`));
            else controller.close();
          },
          (error: unknown) => {
            if (!abort.signal.aborted) controller.error(error);
          },
        );
      },
      pull: wake,
      cancel() {
        abort.abort();
        wake();
      },
    },
    { highWaterMark: EXPORT_QUEUE_CHUNKS },
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return {
    stream,
    filename: `${range.topic}-${stamp}.${query.format}`,
    contentType: query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
  };
}
