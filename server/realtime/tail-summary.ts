import type { DecodedKey, DecodedRecord } from "@/lib/debezium";
import { keyText as fullKeyText } from "@/lib/messages/filter";
import { TAIL_KEY_PREVIEW_CHARS, type TailRecordSummary } from "@/lib/contracts/tail";

function cut(text: string): string {
  return text.length > TAIL_KEY_PREVIEW_CHARS ? `${text.slice(0, TAIL_KEY_PREVIEW_CHARS - 1)}…` : text;
}

function keyText(key: DecodedKey): string | null {
  const text = fullKeyText(key);
  return text === null ? null : cut(text);
}

/** What a live-tail row shows of a decoded record: small, flat, and safe to send several times a second. */
export function summarizeRecord(record: DecodedRecord, receivedAt: number): TailRecordSummary {
  const change = record.kind === "change" ? record : null;
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    receivedAt,
    kind: record.kind,
    op: change ? change.op : null,
    eventId: change?.outbox.eventId ?? (record.kind === "tombstone" ? (record.eventId ?? null) : null),
    eventType: change?.outbox.eventType ?? null,
    aggregateType: change?.outbox.aggregateType ?? null,
    aggregateId: change?.outbox.aggregateId ?? null,
    status: change?.outbox.status ?? null,
    key: keyText(record.key),
    sizeBytes: record.sizeBytes,
    problems: record.problems.length,
  };
}
