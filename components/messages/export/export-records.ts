import type { MessageView } from "@/lib/contracts/messages";
import type { DecodedKey, DecodedRecord } from "@/lib/debezium";
import { toCsvRow } from "@/lib/format/csv";

/**
 * Messages as exported from the browser ("Copy as JSON", "Download", "Export selected"), in the
 * server's export format (GET /api/messages/export), so a file reads the same whichever way it
 * was made: JSON Lines of the decoded record with its timestamp also as ISO text, and CSV of the
 * same columns. Masked fields stay masked, as the server sent them.
 */

/** One exported message: the decoded record and `timestampIso`. */
export type ExportedMessage = DecodedRecord & { timestampIso: string };

/** The server's CSV columns (server/messages/export.ts), in its order. */
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

/** The key as one line of text (JSON keys as their JSON text, binary keys as hex), as lists show it. */
export function keyText(key: DecodedKey): string | null {
  const value = keyValue(key);
  if (value === null && key.kind === "null") return null;
  return typeof value === "string" && key.kind !== "json" ? value : JSON.stringify(value);
}

export function exportedMessage(view: MessageView): ExportedMessage {
  return { ...view.decoded, timestampIso: new Date(view.decoded.timestamp).toISOString() };
}

/** One JSON object per line (JSON Lines), each ending in a newline. */
export function toJsonLines(records: readonly unknown[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join("");
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

const CHANGE_OPS: ReadonlySet<string> = new Set(["c", "u", "d", "r", "t"]);

function opOf(record: DecodedRecord): string {
  if (record.kind === "tombstone") return "tombstone";
  return record.kind === "change" && CHANGE_OPS.has(record.op) ? record.op : "other";
}

/** CSV of exported messages, one row each, as the server's export writes them. */
export function messagesCsv(messages: readonly DecodedRecord[]): string {
  const rows = messages.map((record) => {
    const change = record.kind === "change" ? record : null;
    return toCsvRow([
      record.topic,
      record.partition,
      record.offset,
      new Date(record.timestamp).toISOString(),
      keyText(record.key),
      record.kind,
      opOf(record),
      change?.outbox.eventId ?? (record.kind === "tombstone" ? record.eventId : undefined),
      change?.outbox.eventType,
      change?.outbox.aggregateType,
      change?.outbox.aggregateId,
      change?.outbox.status,
      record.sizeBytes,
      valueText(record),
      record.problems.map((problem) => problem.code).join(" "),
    ]);
  });
  return toCsvRow(MESSAGE_CSV_COLUMNS) + rows.join("");
}

/** A file name from parts: letters, digits, dot, dash and underscore only. */
export function exportFileName(parts: readonly (string | number)[], extension: "json" | "jsonl" | "csv"): string {
  return `${parts.map((part) => String(part).replace(/[^A-Za-z0-9._-]+/g, "_")).join("-")}.${extension}`;
}
