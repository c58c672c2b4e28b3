import type { AuditEntry } from "@/lib/contracts/audit";
import type { EventTrace, TraceHop, TraceMessage } from "@/lib/contracts/events";
import type { OutboxRow } from "@/lib/contracts/outbox";
import { maskFields } from "@/lib/auth/mask";
import { decodeRecord, type DecodedRecord } from "@/lib/debezium";
import { describeError } from "@/lib/errors/describe-error";
import { searchEventMessages, topicPartitionCount, type SearchWindow } from "@/server/kafka/event-messages";
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
 * otherwise from a bounded search of the one partition its key maps to, in time windows: from its
 * creation (a little before) to its last change (a little after), and around each replay of it
 * (which can come long after its last change, and may go to a replay topic).
 */

// Debezium's clock and the database's differ a little; a window starts this much early (and a
// replay's ends this much late).
const SEARCH_BEFORE_MS = 5_000;
// ...and looks this far past the row's last change for the records of its write-backs.
const SEARCH_AFTER_MS = 60_000;
/** Replays searched at most, the newest: each window costs an offsets-by-time request. */
export const MAX_TRACE_REPLAY_WINDOWS = 20;

export class EventNotFoundError extends Error {
  constructor(eventId: string) {
    super(`no outbox row with event id ${eventId}`);
    this.name = "EventNotFoundError";
  }
}

/**
 * Where to look for an event's records, per topic: first the outbox topic, from the row's
 * creation to its last change, then every topic a replay of it (or a re-produce of one of its
 * records) went to, around that replay (`actions` newest first, as {@link AuditLog.forEvent} lists
 * them; `now` ends a replay still running). The search joins windows that overlap.
 */
export function traceSearchWindows(row: Pick<OutboxRow, "createdAt" | "updatedAt" | "processedAt">, actions: readonly AuditEntry[], outboxTopic: string, now: number): Map<string, SearchWindow[]> {
  const lastChange = Math.max(Date.parse(row.updatedAt), row.processedAt ? Date.parse(row.processedAt) : 0);
  const windows = new Map<string, SearchWindow[]>([[outboxTopic, [{ sinceMs: Date.parse(row.createdAt) - SEARCH_BEFORE_MS, untilMs: lastChange + SEARCH_AFTER_MS }]]]);
  const replays = actions.filter(producedRecords);
  for (const replay of replays.slice(0, MAX_TRACE_REPLAY_WINDOWS)) {
    const topic = replay.topic!;
    const window = { sinceMs: Date.parse(replay.at) - SEARCH_BEFORE_MS, untilMs: (replay.finishedAt ? Date.parse(replay.finishedAt) : now) + SEARCH_BEFORE_MS };
    const list = windows.get(topic);
    if (list) list.push(window);
    else windows.set(topic, [window]);
  }
  return windows;
}

/** What one topic holds of the event, and how it was found. */
interface TopicRecords {
  topic: string;
  partition: number | null;
  from: EventTrace["messagesFrom"];
  records: DecodedRecord[];
  note: string | null;
}

export async function traceEvent(runtime: Runtime, eventId: string, maskedFields: readonly string[]): Promise<EventTrace> {
  const table = runtime.outbox;
  const record = await findOutboxRow(table, eventId);
  if (!record) throw new EventNotFoundError(eventId);
  const row = toOutboxRow(table, record);
  const outboxTopic = runtime.config.kafka.outboxTopic;
  const key = JSON.stringify({ [table.mapping.columns.eventId]: row.eventId });
  const actions = await runtime.audit.forEvent(row.eventId);
  const columns = eventColumnsOf(table.mapping);

  // Each topic on its own, at once: the outbox topic (the tail, else a search) and replay topics.
  const found = await Promise.all(
    [...traceSearchWindows(row, actions, outboxTopic, Date.now())].map(async ([topic, windows]): Promise<TopicRecords> => {
      let partition: number;
      try {
        const partitions = await topicPartitionCount(runtime.kafkaAdmin, topic);
        if (partitions === 0) return { topic, partition: null, from: "none", records: [], note: `topic ${topic} does not exist` };
        partition = keyedPartition(key, partitions);
      } catch (error) {
        return { topic, partition: null, from: "none", records: [], note: `Kafka did not answer (${describeError(error)}); the records on ${topic} are not shown` };
      }
      if (topic === outboxTopic) {
        const fromTail = runtime.tail.recentRecords(topic, partition).filter((candidate) => eventIdOf(candidate) === row.eventId);
        // The tail holds a partition's latest records: with the insert, it holds everything after it
        // (a replay's record is not the insert: it comes later, and so may be all the tail holds).
        if (fromTail.some(isCapturedInsert)) return { topic, partition, from: "tail", records: fromTail, note: null };
      }
      try {
        const result = await searchEventMessages({ admin: runtime.kafkaAdmin, fetcher: runtime.messages.reader.fetcher, topic, partition, windows, key });
        const records = result.records.map((raw) => decodeRecord(raw, { columns }));
        return { topic, partition, from: "search", records, note: result.note && `the search of ${topic} partition ${partition} ${result.note}` };
      } catch (error) {
        return { topic, partition, from: "none", records: [], note: `the search of ${topic} partition ${partition} failed: ${describeError(error)}` };
      }
    }),
  );
  // The outbox topic's answer says where the event's own records are, and how they were found.
  const outboxPart = found.find((part) => part.topic === outboxTopic)!;
  const partition = outboxPart.partition;
  const messagesFrom = outboxPart.from !== "none" ? outboxPart.from : found.some((part) => part.from === "search") ? "search" : "none";
  // In order already: the outbox topic first (the windows' order), each topic's records by offset.
  const decoded = found.flatMap((part) => part.records);
  const notes = found.flatMap((part) => (part.note ? [part.note] : []));
  if (decoded.length === 0 && notes.length === 0 && messagesFrom === "search") {
    notes.push(`no record with key ${key} on partition ${partition} from its creation to a minute after its last change${actions.some(producedRecords) ? ", nor around its replays" : ""}`);
  }
  const searchNote = notes.length > 0 ? notes.join("; ") : null;

  const messages: TraceMessage[] = decoded.map((message) => ({
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    op: message.kind === "change" ? message.rawOp : null,
    status: message.kind === "change" ? (message.outbox.status ?? null) : null,
    replayId: headerText(message, "x-replay-id"),
  }));
  const insert = decoded.find(isCapturedInsert);
  const firstOffset = messages.find((message) => message.topic === outboxTopic)?.offset ?? null;

  const snapshot = runtime.metrics.latest();
  const groups = (snapshot?.groups ?? []).map((group) => {
    const committed = partition === null ? null : (group.partitions.find((p) => p.topic === outboxTopic && p.partition === partition)?.committedOffset ?? null);
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
    sources: found.map((part) => ({ topic: part.topic, partition: part.partition, from: part.from })),
    groups,
    actions,
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

/** An action that produced the event's records again: a replay of its row, or a re-produce of one of its records (Messages). */
function producedRecords(action: AuditEntry): boolean {
  return (action.action === "outbox:replay" || action.action === "message:reproduce") && !action.dryRun && action.topic !== null;
}

/** The change event Debezium captured when the row was inserted (or snapshotted), not a replay's. */
function isCapturedInsert(record: DecodedRecord): boolean {
  return record.kind === "change" && (record.op === "c" || record.op === "r") && !headerText(record, "x-replay-id");
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
