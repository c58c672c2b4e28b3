import type { DecodedRecord } from "@/lib/debezium";
import { toCsvRow } from "@/lib/format/csv";
import { keyText, recordOp } from "./filter";

/**
 * The export format of messages, one for the server's streamed export (GET /api/messages/export)
 * and the browser's "Export selected" / "Download": JSON Lines of the decoded record with its
 * timestamp also as ISO text, or CSV of the columns below.
 */

export const MESSAGE_CSV_COLUMNS = [
  "topic",
  "partition",
  "offset",
  "timestamp",
  "key",
  "kind",
  "op",
  "event_id",
  "event_type",
  "aggregate_type",
  "aggregate_id",
  "status",
  "size_bytes",
  "value",
  "problems",
] as const;

/** One exported message: the decoded record and `timestampIso`. */
export type ExportedRecord = DecodedRecord & { timestampIso: string };

export function exportedRecord(record: DecodedRecord): ExportedRecord {
  return { ...record, timestampIso: new Date(record.timestamp).toISOString() };
}

/** A record as one JSON line, ending in a newline. */
export function exportJsonLine(record: DecodedRecord): string {
  return `${JSON.stringify(exportedRecord(record))}\n`;
}

/** A CSV value cell: the row image (after, or before for a delete), the JSON value, the text or the hex. */
function valueText(record: DecodedRecord): string {
  switch (record.kind) {
    case "change":
      return JSON.stringify(record.after ?? record.before);
    case "json":
      return record.value === undefined ? (record.preview ?? "") : JSON.stringify(record.value);
    case "text":
      return record.text;
    case "binary":
      return record.hex;
    case "tombstone":
      return "";
  }
}

/** A record as one CSV row (RFC 4180, formula-safe), ending in CRLF. */
export function exportCsvRow(record: DecodedRecord): string {
  const change = record.kind === "change" ? record : null;
  return toCsvRow([
    record.topic,
    record.partition,
    record.offset,
    new Date(record.timestamp).toISOString(),
    keyText(record.key),
    record.kind,
    recordOp(record),
    change?.outbox.eventId ?? (record.kind === "tombstone" ? record.eventId : undefined),
    change?.outbox.eventType,
    change?.outbox.aggregateType,
    change?.outbox.aggregateId,
    change?.outbox.status,
    record.sizeBytes,
    valueText(record),
    record.problems.map((problem) => problem.code).join(" "),
  ]);
}
