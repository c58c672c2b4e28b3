import { z } from "zod";
import type { DecodedRecord } from "@/lib/debezium";
import { messageFilterSchema, partitionSchema } from "./message-filter";
import { tailRecordSummarySchema } from "./tail";

/**
 * The Messages contract: browse and seek (GET /api/messages), one message (GET
 * /api/messages/<topic>/<partition>/<offset>), a bounded server-side search with live progress
 * (POST /api/messages/search, socket `search:watch` → `search:progress`, cancel), and export
 * (GET /api/messages/export, streamed). Every filter is structured data: nothing a user writes is
 * ever evaluated as code.
 */

export const MESSAGES_API = {
  list: "/api/messages",
  topics: "/api/messages/topics",
  /** One message by its position; `?full=1` reads the whole value (up to FULL_MESSAGE_MAX_BYTES). */
  one: (topic: string, partition: number, offset: string) =>
    `/api/messages/${encodeURIComponent(topic)}/${partition}/${encodeURIComponent(offset)}`,
  search: "/api/messages/search",
  searchOne: (id: string) => `/api/messages/search/${encodeURIComponent(id)}`,
  searchCancel: (id: string) => `/api/messages/search/${encodeURIComponent(id)}/cancel`,
  export: "/api/messages/export",
} as const;

/** A page of browsed messages holds at most this many: each carries up to a 64 KiB preview. */
export const BROWSE_MAX_LIMIT = 500;
export const BROWSE_DEFAULT_LIMIT = 50;
/** "Load full message" reads at most this much of one value; a bigger one stays a preview. */
export const FULL_MESSAGE_MAX_BYTES = 32 * 1024 * 1024;

/** Search bounds: the defaults a search gets, and the most a request may ask for. */
export const SEARCH_DEFAULT_MAX_SCANNED = 1_000_000;
export const SEARCH_MAX_SCANNED = 20_000_000;
export const SEARCH_DEFAULT_TIMEOUT_MS = 60_000;
export const SEARCH_MAX_TIMEOUT_MS = 10 * 60_000;
export const SEARCH_DEFAULT_MAX_RESULTS = 200;
/** Matches are kept as summaries (about 0.5 KB each), so this many stay small in memory. */
export const SEARCH_MAX_RESULTS = 2_000;
/** Searches progress at most this often to a watcher. */
export const SEARCH_PROGRESS_PER_SECOND = 4;
/** An export writes at most this many records, however wide its range. */
export const EXPORT_MAX_RECORDS = 100_000;

const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
export const topicNameSchema = z.string().regex(KAFKA_TOPIC, "must be a Kafka topic name (letters, digits, . _ -; at most 249 characters)");
const offsetText = z.string().regex(/^\d{1,19}$/, "must be an offset (a whole number ≥ 0)");

/**
 * Where a browse starts, as written in the URL:
 * - `beginning`, `end` (the newest `limit` messages), `end-N` (from N before each partition's end),
 * - an offset (`1234`, one partition only), an ISO time (`2026-01-31T12:00:00Z`, the first message at or after it),
 * - a position per partition (`@0:120,1:98`), which the page cursors use.
 */
export type StartPosition =
  | { kind: "beginning" }
  | { kind: "end" }
  | { kind: "endMinus"; count: number }
  | { kind: "offset"; offset: string }
  | { kind: "time"; timeMs: number }
  | { kind: "positions"; positions: Record<number, string> };

/** Partitions a position vector may name. */
export const MAX_POSITION_PARTITIONS = 1_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a `from` value; the error message names what is wrong. */
export function parseStartPosition(text: string): StartPosition | { error: string } {
  const value = text.trim();
  if (value === "beginning") return { kind: "beginning" };
  if (value === "end") return { kind: "end" };
  const endMinus = /^end-(\d{1,9})$/.exec(value);
  if (endMinus) return { kind: "endMinus", count: Number(endMinus[1]) };
  if (/^\d{1,19}$/.test(value)) return { kind: "offset", offset: String(BigInt(value)) };
  if (ISO_TIME.test(value)) {
    const timeMs = Date.parse(value);
    if (Number.isFinite(timeMs)) return { kind: "time", timeMs };
    return { error: `"${value}" is not a valid time` };
  }
  if (value.startsWith("@")) {
    const positions: Record<number, string> = {};
    const parts = value.slice(1).split(",");
    if (parts.length > MAX_POSITION_PARTITIONS) return { error: `names more than ${MAX_POSITION_PARTITIONS} partitions` };
    for (const part of parts) {
      const match = /^(\d{1,6}):(\d{1,19})$/.exec(part);
      if (!match) return { error: `"${part}" is not partition:offset` };
      positions[Number(match[1])] = String(BigInt(match[2]!));
    }
    return { kind: "positions", positions };
  }
  return { error: 'must be beginning, end, end-N, an offset, an ISO time (2026-01-31T12:00:00Z) or @partition:offset,…' };
}

/** The `from` text of a position vector (partitions in order). */
export function formatPositions(positions: Readonly<Record<number, string>>): string {
  return `@${Object.keys(positions)
    .map(Number)
    .sort((a, b) => a - b)
    .map((partition) => `${partition}:${positions[partition]}`)
    .join(",")}`;
}

const startPositionSchema = z.string().transform((text, ctx): StartPosition => {
  const parsed = parseStartPosition(text);
  if ("error" in parsed) {
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});

export const partitionChoiceSchema = z.union([z.literal("all"), partitionSchema]);

/** GET /api/messages: a page of one topic, decoded. */
export const browseQuerySchema = z
  .strictObject({
    /** Default: the outbox topic. */
    topic: topicNameSchema.optional(),
    partition: partitionChoiceSchema.default("all"),
    from: startPositionSchema.default({ kind: "end" }),
    /** forward: messages at or after `from`; backward: messages before it. Default: backward for `end`, forward otherwise. */
    dir: z.enum(["forward", "backward"], { error: "must be forward or backward" }).optional(),
    limit: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be ≥ 1")
      .max(BROWSE_MAX_LIMIT, `must be ≤ ${BROWSE_MAX_LIMIT}`)
      .default(BROWSE_DEFAULT_LIMIT),
  })
  .superRefine((query, ctx) => {
    if (query.from.kind === "offset" && query.partition === "all") {
      ctx.addIssue({ code: "custom", path: ["from"], message: "an offset needs one partition (set partition)" });
    }
  });
export type BrowseQuery = z.infer<typeof browseQuerySchema>;

/** The raw form of a key or value, as received (cut to the preview size). */
export const rawFormSchema = z.object({
  encoding: z.enum(["null", "utf8", "hex"]),
  /** The text (utf8) or hex digits; empty for null. */
  data: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  truncated: z.boolean(),
});
export type RawForm = z.infer<typeof rawFormSchema>;

/** One message as the inspector shows it: the decoded record (masked for viewers) and its raw form. */
export interface MessageView {
  decoded: DecodedRecord;
  raw: { key: RawForm; value: RawForm };
  /** The outbox event it carries (links to /events/<id>), when it is an outbox row. */
  eventId: string | null;
  /** Whether configured fields were masked for this reader. */
  masked: boolean;
}

export interface PartitionWatermarks {
  partition: number;
  /** First offset still in the log. */
  low: string;
  /** Next offset to be written. */
  high: string;
}

export interface TopicInfo {
  topic: string;
  /** Whether it is the outbox topic the pipeline reads. */
  outbox: boolean;
  partitions: PartitionWatermarks[];
}

/** GET /api/messages/topics: the topics this dashboard may read. */
export interface TopicsResponse {
  topics: TopicInfo[];
}

/** A browse position to page to: put `from` and `dir` in the URL. */
export interface PageCursor {
  from: string;
  dir: "forward" | "backward";
}

/** GET /api/messages → one page, in log order (oldest first, merged across partitions by timestamp). */
export interface BrowsePage {
  topic: string;
  partition: number | "all";
  messages: MessageView[];
  /** The page after this one (newer); always given: at the end of the log it returns what arrived since. */
  newer: PageCursor;
  /** The page before this one (older); null at the start of the log. */
  older: PageCursor | null;
  /** Records read to build the page (the page plus the other partitions' candidates). */
  read: number;
  watermarks: PartitionWatermarks[];
}

// ---- Search ---------------------------------------------------------------------------------

const rangeEndSchema = z.union([z.literal("end"), z.iso.datetime({ offset: true, error: "must be end or an ISO 8601 time" })]);

export const searchRequestSchema = z.strictObject({
  topic: topicNameSchema.optional(),
  /** Default: every partition. */
  partitions: z.array(partitionSchema).min(1, "must list at least one partition").max(MAX_POSITION_PARTITIONS).optional(),
  /** Where to start: beginning, end-N, an ISO time, or @partition:offset,… (as browse's `from`). */
  from: startPositionSchema.default({ kind: "beginning" }),
  /** Where to stop: the end as it is when the search starts, or a time. */
  to: rangeEndSchema.default("end"),
  filter: messageFilterSchema.default({}),
  maxScanned: z.number().int().min(1).max(SEARCH_MAX_SCANNED, `must be ≤ ${SEARCH_MAX_SCANNED}`).default(SEARCH_DEFAULT_MAX_SCANNED),
  maxResults: z.number().int().min(1).max(SEARCH_MAX_RESULTS, `must be ≤ ${SEARCH_MAX_RESULTS}`).default(SEARCH_DEFAULT_MAX_RESULTS),
  timeoutMs: z.number().int().min(100).max(SEARCH_MAX_TIMEOUT_MS, `must be ≤ ${SEARCH_MAX_TIMEOUT_MS}`).default(SEARCH_DEFAULT_TIMEOUT_MS),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;
export type SearchRequestInput = z.input<typeof searchRequestSchema>;

export const searchStopReasonSchema = z.enum(["range-end", "max-scanned", "max-results", "timeout", "cancelled", "error"]);
export type SearchStopReason = z.infer<typeof searchStopReasonSchema>;

export const SEARCH_STOP_REASON_TEXT: Record<SearchStopReason, string> = {
  "range-end": "searched the whole range",
  "max-scanned": "stopped at the limit of records scanned",
  "max-results": "stopped at the limit of results",
  timeout: "stopped at the time limit",
  cancelled: "cancelled",
  error: "failed",
};

export const searchProgressSchema = z.object({
  searchId: z.string(),
  topic: z.string(),
  state: z.enum(["running", "done"]),
  /** Records in the range when the search started (sum over partitions). */
  rangeTotal: z.number().int().nonnegative(),
  scanned: z.number().int().nonnegative(),
  matched: z.number().int().nonnegative(),
  /** Next offset to read, per partition. */
  positions: z.record(z.string(), z.string()),
  recordsPerSecond: z.number().nonnegative(),
  startedAt: z.number(),
  elapsedMs: z.number().nonnegative(),
  /** Set when done. */
  stopReason: searchStopReasonSchema.nullable(),
  error: z.string().nullable(),
});
export type SearchProgress = z.infer<typeof searchProgressSchema>;

/** GET /api/messages/search/<id>: progress and the matches so far (summaries; open one by its offset). */
export const searchResultSchema = searchProgressSchema.extend({
  results: z.array(tailRecordSummarySchema),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchWatchSchema = z.strictObject({ searchId: z.string().min(1).max(64) });

/** Export: a browse range or a search's range and filter, streamed as JSON Lines or CSV. */
export const exportQuerySchema = z.strictObject({
  topic: topicNameSchema.optional(),
  partition: partitionChoiceSchema.default("all"),
  from: startPositionSchema.default({ kind: "beginning" }),
  to: rangeEndSchema.default("end"),
  format: z.enum(["jsonl", "csv"], { error: "must be jsonl or csv" }).default("jsonl"),
  limit: z.coerce.number({ error: "must be a number" }).int().min(1, "must be ≥ 1").max(EXPORT_MAX_RECORDS, `must be ≤ ${EXPORT_MAX_RECORDS}`).default(10_000),
  /** A search's filter, as JSON (the same object as the search request's `filter`). */
  filter: z.string().max(8_192, "must be at most 8192 characters").optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** The single-message route's query. */
export const messageQuerySchema = z.strictObject({
  full: z.enum(["0", "1"], { error: "must be 0 or 1" }).optional(),
});

export const messagePositionSchema = z.strictObject({
  topic: topicNameSchema,
  partition: partitionSchema,
  offset: offsetText,
});

// ---- Re-produce ------------------------------------------------------------------------------

export const MESSAGES_REPRODUCE_API = "/api/messages/reproduce";

/**
 * POST /api/messages/reproduce: produce one record again, as it is (key, value, headers), to its
 * topic or another one the dashboard may write (REPLAY_TOPICS), with the replay headers added.
 * Operators and admins; audited; the idempotency key makes a repeated request a no-op.
 */
export const reproduceRequestSchema = z.strictObject({
  topic: topicNameSchema,
  partition: partitionSchema,
  offset: offsetText,
  /** Default: the record's own topic. */
  targetTopic: topicNameSchema.optional(),
  reason: z.string().trim().min(1, "is required: say why").max(500, "must be at most 500 characters"),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/, "must be 8 to 100 characters of letters, digits and . _ : -"),
});
export type ReproduceRequest = z.infer<typeof reproduceRequestSchema>;

export interface ReproduceResponse {
  /** The audit entry, also the x-replay-id header of the record produced. */
  auditId: number;
  targetTopic: string;
  /** True when the idempotency key was used before: nothing was produced this time. */
  duplicate: boolean;
  outcome: "succeeded" | "failed" | "running" | "cancelled";
}
