import { z } from "zod";
import { tailFilterSchema } from "./message-filter";

/**
 * The live-tail contract: a sample of the newest records of the outbox topic, pushed to the
 * browsers that asked for it (`tail:subscribe`) as `tail:batch`, a few times a second at most.
 * A summary carries what a list row shows; the whole message is read through the Messages page.
 */

/** Batches per second a subscribed client receives at most: with the snapshot (1/s) and health, about 10 messages a second in all. */
export const TAIL_BATCHES_PER_SECOND = 8;
/** Newest records per batch: a list row each; more than a browser shows between two batches at 8 a second. */
export const TAIL_BATCH_MAX_RECORDS = 20;
/** Keys are shown, not read: a longer key is cut to this many characters. */
export const TAIL_KEY_PREVIEW_CHARS = 120;

export const tailRecordKindSchema = z.enum(["change", "tombstone", "json", "text", "binary"]);
export type TailRecordKind = z.infer<typeof tailRecordKindSchema>;

export const tailRecordSummarySchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  /** Kafka offsets are 64-bit: kept as decimal text. */
  offset: z.string(),
  /** Kafka record timestamp, epoch ms. */
  timestamp: z.number(),
  /** When the server's tail read it, epoch ms. */
  receivedAt: z.number(),
  kind: tailRecordKindSchema,
  /** Debezium op (c, u, d, r, t, unknown) for a change event; null otherwise. */
  op: z.string().nullable(),
  eventId: z.string().nullable(),
  eventType: z.string().nullable(),
  aggregateType: z.string().nullable(),
  aggregateId: z.string().nullable(),
  /** The outbox row's status in the change (after, or before for a delete). */
  status: z.string().nullable(),
  /** The key as text (JSON keys as their text, binary keys as hex), cut to TAIL_KEY_PREVIEW_CHARS; null for no key. */
  key: z.string().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  /** Decode problems found (invalid UTF-8, malformed JSON, …); 0 for a clean record. */
  problems: z.number().int().nonnegative(),
});
export type TailRecordSummary = z.infer<typeof tailRecordSummarySchema>;

export const tailBatchSchema = z.object({
  /** Newest first, at most TAIL_BATCH_MAX_RECORDS. */
  records: z.array(tailRecordSummarySchema).max(TAIL_BATCH_MAX_RECORDS),
  /** Records the tail read since the previous batch, all of them, sent or not: "showing 20 of 4,800". */
  readSinceLast: z.number().int().nonnegative(),
  /** Of those, how many passed this subscriber's filter (equal to readSinceLast without a filter). */
  matchedSinceLast: z.number().int().nonnegative(),
  /** The topic's true incoming rate (all records the tail read, over the last few seconds). */
  recordsPerSecond: z.number().nonnegative(),
  /** When the server sent the batch, epoch ms. */
  sentAt: z.number(),
});
export type TailBatch = z.infer<typeof tailBatchSchema>;

/**
 * What a client sends to start receiving batches, optionally with quick filters (applied on the
 * server, so a rare event type is not lost among thousands a second). Subscribing again replaces
 * the filter.
 */
export const tailSubscribeSchema = z.strictObject({ filter: tailFilterSchema.optional() }).optional();
