import type { EventTrace, TraceHop, TraceMessage } from "@/lib/contracts/events";
import { maskFields } from "@/lib/auth/mask";
import { decodeRecord, type DecodedRecord } from "@/lib/debezium";
import { describeError } from "@/lib/errors/describe-error";
import { searchEventMessages, topicPartitionCount } from "@/server/kafka/event-messages";
import { keyedPartition } from "@/server/kafka/partitioner";
import type { Runtime } from "@/server/runtime";
import { eventColumnsOf } from "./mapping";
import { findOutboxRow } from "./rows";
import { toOutboxRow } from "./sql";

/**
 * One event across the pipeline (GET /api/events/<id>): its row, its records on the topic, the
 * groups' progress past them, the actions that touched it and the time of each hop.
 *
 * Records come from the live tail's recent records when the tail still holds the event's insert;
 * otherwise from a bounded search of the one partition its key maps to, between its creation (a
 * little before) and its last change (a little after).
 */

// Debezium's clock and the database's differ a little; the search starts this much before created_at.
const SEARCH_BEFORE_MS = 5_000;
// ...and looks this far past the row's last change for the records of its write-backs.
const SEARCH_AFTER_MS = 60_000;

export class EventNotFoundError extends Error {
  constructor(eventId: string) {
    super(`no outbox row with event id ${eventId}`);
    this.name = "EventNotFoundError";
  }
}

export async function traceEvent(runtime: Runtime, eventId: string, maskedFields: readonly string[]): Promise<EventTrace> {
  const table = runtime.outbox;
  const record = await findOutboxRow(table, eventId);
  if (!record) throw new EventNotFoundError(eventId);
  const row = toOutboxRow(table, record);
  const topic = runtime.config.kafka.outboxTopic;
  const key = JSON.stringify({ [table.mapping.columns.eventId]: row.eventId });

  let partition: number | null = null;
  let messagesFrom: EventTrace["messagesFrom"] = "none";
  let searchNote: string | null = null;
  let decoded: DecodedRecord[] = [];
  try {
    const partitions = await topicPartitionCount(runtime.kafkaAdmin, topic);
    if (partitions > 0) partition = keyedPartition(key, partitions);
  } catch (error) {
    searchNote = `Kafka did not answer (${describeError(error)}); the records on the topic are not shown`;
  }
  if (partition !== null) {
    const fromTail = runtime.tail.recentRecords(topic, partition).filter((candidate) => eventIdOf(candidate) === row.eventId);
    if (fromTail.some((candidate) => candidate.kind === "change" && (candidate.op === "c" || candidate.op === "r"))) {
      decoded = fromTail;
      messagesFrom = "tail";
    } else {
      const lastChange = Math.max(Date.parse(row.updatedAt), row.processedAt ? Date.parse(row.processedAt) : 0);
      try {
        const result = await searchEventMessages({
          admin: runtime.kafkaAdmin,
          fetcher: runtime.messages.reader.fetcher,
          topic,
          partition,
          sinceMs: Date.parse(row.createdAt) - SEARCH_BEFORE_MS,
          untilMs: lastChange + SEARCH_AFTER_MS,
          key,
        });
        const columns = eventColumnsOf(table.mapping);
        decoded = result.records.map((raw) => decodeRecord(raw, { columns }));
        messagesFrom = "search";
        searchNote = result.note ?? (decoded.length === 0 ? `no record with key ${key} on partition ${partition} between its creation and its last change` : null);
      } catch (error) {
        searchNote = `the search of partition ${partition} failed: ${describeError(error)}`;
      }
    }
  }

  const messages: TraceMessage[] = decoded.map((message) => ({
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    op: message.kind === "change" ? message.rawOp : null,
    status: message.kind === "change" ? (message.outbox.status ?? null) : null,
    replayId: headerText(message, "x-replay-id"),
  }));
  const insert = decoded.find((message) => message.kind === "change" && (message.op === "c" || message.op === "r") && !headerText(message, "x-replay-id"));
  const firstOffset = messages[0]?.offset ?? null;

  const snapshot = runtime.metrics.latest();
  const groups = (snapshot?.groups ?? []).map((group) => {
    const committed = partition === null ? null : (group.partitions.find((p) => p.topic === topic && p.partition === partition)?.committedOffset ?? null);
    return { groupId: group.groupId, committedOffset: committed, passed: committed !== null && firstOffset !== null && BigInt(committed) > BigInt(firstOffset) };
  });

  const createdMs = Date.parse(row.createdAt);
  const processedMs = row.processedAt ? Date.parse(row.processedAt) : null;
  const kafkaMs = insert?.timestamp ?? null;
  const commitMs = insert?.kind === "change" ? (insert.source?.tsMs ?? null) : null;
  const hops: TraceHop[] = [
    hop("capture", commitMs, kafkaMs),
    hop("outboxToKafka", createdMs, kafkaMs),
    hop("kafkaToProcessed", kafkaMs, processedMs),
    hop("endToEnd", createdMs, processedMs),
  ];

  return {
    row: { ...row, payload: maskFields(record.payload, maskedFields) },
    messages,
    messagesFrom,
    searchNote,
    partition,
    groups,
    actions: await runtime.audit.forEvent(row.eventId),
    hops,
  };
}

function hop(name: TraceHop["hop"], from: number | null, to: number | null): TraceHop {
  return {
    hop: name,
    from: from === null ? null : new Date(from).toISOString(),
    to: to === null ? null : new Date(to).toISOString(),
    ms: from === null || to === null ? null : to - from,
  };
}

function eventIdOf(record: DecodedRecord): string | undefined {
  if (record.kind === "change") return record.outbox.eventId;
  if (record.kind === "tombstone") return record.eventId;
  return undefined;
}

function headerText(record: DecodedRecord, name: string): string | null {
  const header = record.headers.find((candidate) => candidate.key === name);
  return header?.kind === "text" ? header.text : null;
}
