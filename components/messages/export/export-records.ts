import type { MessageView } from "@/lib/contracts/messages";
import type { DecodedKey, DecodedRecord } from "@/lib/debezium";
import { toCsvRow } from "@/lib/format/csv";
import { MESSAGE_CSV_COLUMNS, exportCsvRow, exportedRecord, type ExportedRecord } from "@/lib/messages/export-format";

export { MESSAGE_CSV_COLUMNS };

/**
 * Messages as exported from the browser ("Copy as JSON", "Download", "Export selected"), in the
 * server's export format (GET /api/messages/export), so a file reads the same whichever way it
 * was made: JSON Lines of the decoded record with its timestamp also as ISO text, and CSV of the
 * same columns. Masked fields stay masked, as the server sent them.
 */

/** One exported message: the decoded record and `timestampIso`. */
export type ExportedMessage = ExportedRecord;

/** The key as a value: parsed JSON, text, hex, or null. */
export function keyValue(key: DecodedKey): unknown {
  switch (key.kind) {
    case "null":
      return null;
    case "json":
      return key.value;
    case "text":
      return key.text;
    case "binary":
      return key.hex;
  }
}

export function exportedMessage(view: MessageView): ExportedMessage {
  return exportedRecord(view.decoded);
}

/** One JSON object per line (JSON Lines), each ending in a newline. */
export function toJsonLines(records: readonly unknown[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join("");
}

/** CSV of exported messages, one row each, as the server's export writes them. */
export function messagesCsv(messages: readonly DecodedRecord[]): string {
  return toCsvRow(MESSAGE_CSV_COLUMNS) + messages.map(exportCsvRow).join("");
}

/** A file name from parts: letters, digits, dot, dash and underscore only. */
export function exportFileName(parts: readonly (string | number)[], extension: "json" | "jsonl" | "csv"): string {
  return `${parts.map((part) => String(part).replace(/[^A-Za-z0-9._-]+/g, "_")).join("-")}.${extension}`;
}
