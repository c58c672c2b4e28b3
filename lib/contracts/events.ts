import { z } from "zod";
import { auditEntrySchema } from "./audit";
import { outboxRowSchema } from "./outbox";

/**
 * GET /api/events/<event_id>: one event across the pipeline, for the trace page /events/<id>.
 * The row (payload masked for viewers), its change events on the topic, whether each monitored
 * consumer group has passed them, every action taken on it, and the time of each hop.
 */

export const traceMessageSchema = z.object({
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  /** Kafka timestamp, epoch ms. */
  timestamp: z.number(),
  /** Debezium op (c, u, d, r, t), or null for a record that is not a change event. */
  op: z.string().nullable(),
  /** The row's status in that change (after). */
  status: z.string().nullable(),
  /** x-replay-id header, for records a replay produced. */
  replayId: z.string().nullable(),
});
export type TraceMessage = z.infer<typeof traceMessageSchema>;

export const traceGroupSchema = z.object({
  groupId: z.string(),
  /** Committed offset of the partition the event is on; null when the group has none. */
  committedOffset: z.string().nullable(),
  /** Whether the committed offset is past the event's first message. */
  passed: z.boolean(),
});

export const traceHopSchema = z.object({
  hop: z.enum(["capture", "outboxToKafka", "kafkaToProcessed", "endToEnd"]),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Milliseconds; null when either end is unknown. */
  ms: z.number().nullable(),
});
export type TraceHop = z.infer<typeof traceHopSchema>;

/** Where one topic's records of the event were looked for, and how. */
export const traceSourceSchema = z.object({
  topic: z.string(),
  /** The partition the event's key maps to on that topic; null when the topic is unknown. */
  partition: z.number().int().nullable(),
  from: z.enum(["tail", "search", "none"]),
});
export type TraceSource = z.infer<typeof traceSourceSchema>;

export const eventTraceSchema = z.object({
  row: outboxRowSchema.extend({
    /** The payload (JSON), masked for roles that see masked data. */
    payload: z.unknown(),
  }),
  messages: z.array(traceMessageSchema),
  /** How the messages were found: the tail's recent records, a bounded search of the partition, or not searched. */
  messagesFrom: z.enum(["tail", "search", "none"]),
  /** Why the search found nothing or stopped early (a limit, Kafka down); null when it completed. */
  searchNote: z.string().nullable(),
  /** The partition the event's key maps to, when known. */
  partition: z.number().int().nullable(),
  /** Every topic looked at: the outbox topic first (as messagesFrom and partition say), then each topic replays went to. */
  sources: z.array(traceSourceSchema),
  groups: z.array(traceGroupSchema),
  actions: z.array(auditEntrySchema),
  hops: z.array(traceHopSchema),
});
export type EventTrace = z.infer<typeof eventTraceSchema>;
