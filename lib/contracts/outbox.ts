import { z } from "zod";

/**
 * The outbox-operations contract: the table view (keyset pages of rows), failure groups, and the
 * two write actions, retry and replay, with their progress. Shared by the route handlers
 * (app/api/outbox/**), the socket (`action:progress`) and the pages (/outbox, /events/<id>).
 *
 * Status names here are the logical ones (pending, processed, failed); the server maps them to the
 * configured column values, so a table that says 'DONE' still reads "processed" in the browser.
 */

export const OUTBOX_API = {
  rows: "/api/outbox/rows",
  failureGroups: "/api/outbox/failure-groups",
  retry: "/api/outbox/retry",
  replay: "/api/outbox/replay",
  actions: "/api/outbox/actions",
  /** `/api/outbox/actions/<id>` (GET state), `/api/outbox/actions/<id>/cancel` (POST). */
  action: (id: number | string) => `/api/outbox/actions/${encodeURIComponent(String(id))}`,
  cancel: (id: number | string) => `/api/outbox/actions/${encodeURIComponent(String(id))}/cancel`,
  event: (eventId: string) => `/api/events/${encodeURIComponent(eventId)}`,
} as const;

/** A page of rows holds at most this many: a screenful or two; deeper reading pages on. */
export const MAX_PAGE_ROWS = 200;
export const DEFAULT_PAGE_ROWS = 50;
/** Explicit ids in one action; larger sets are a filter or a failure group. */
export const MAX_EVENT_IDS_PER_ACTION = 1_000;
/** Rows an action changes (or produces) at most; beyond it the filter must be narrowed. */
export const MAX_ROWS_PER_ACTION = 1_000_000;
/** Actions that would touch more rows than this ask the operator to type the count first. */
export const CONFIRM_THRESHOLD_ROWS = 100;
/** Rows shown in a dry run's sample. */
export const DRY_RUN_SAMPLE_ROWS = 10;
/** Filter text fields are short: names, ids, a phrase of an error. */
export const MAX_FILTER_TEXT = 200;
export const MAX_REASON_LENGTH = 500;
/** Highest rate limit an operator may ask for (rows/s); above it, leave it unlimited. */
export const MAX_RATE_LIMIT_ROWS_PER_SECOND = 100_000;

export const outboxStatusSchema = z.enum(["pending", "processed", "failed"], { error: "must be pending, processed or failed" });
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

const uuidSchema = z.uuid({ error: "must be a UUID" });
const filterText = z.string().trim().min(1, "must not be empty").max(MAX_FILTER_TEXT, `must be at most ${MAX_FILTER_TEXT} characters`);
const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time like 2026-01-31T12:00:00Z" });
const retryCount = z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0, "must be ≥ 0").max(1_000_000, "must be ≤ 1000000");

/**
 * Which rows: every field narrows (AND). Text fields are compared as data (query parameters), never
 * as SQL or patterns: `error` is a case-insensitive substring, the others are equality.
 */
const filterFields = {
  status: outboxStatusSchema.optional(),
  eventType: filterText.optional(),
  aggregateType: filterText.optional(),
  aggregateId: filterText.optional(),
  /** created_at ≥ this. */
  createdFrom: isoTime.optional(),
  /** created_at < this. */
  createdTo: isoTime.optional(),
  /** last_error contains this (case-insensitive). */
  error: filterText.optional(),
  retryCountMin: retryCount.optional(),
  retryCountMax: retryCount.optional(),
};

type FilterRanges = { createdFrom?: string; createdTo?: string; retryCountMin?: number; retryCountMax?: number };

/** The ranges of a filter must not be empty: the issue names the field at fault. */
function checkRanges(filter: FilterRanges, ctx: z.RefinementCtx): void {
  if (filter.createdFrom && filter.createdTo && Date.parse(filter.createdFrom) >= Date.parse(filter.createdTo)) {
    ctx.addIssue({ code: "custom", path: ["createdTo"], message: "must be later than createdFrom" });
  }
  if (filter.retryCountMin !== undefined && filter.retryCountMax !== undefined && filter.retryCountMin > filter.retryCountMax) {
    ctx.addIssue({ code: "custom", path: ["retryCountMax"], message: "must be ≥ retryCountMin" });
  }
}

export const outboxFilterSchema = z.strictObject(filterFields).superRefine(checkRanges);
export type OutboxFilter = z.infer<typeof outboxFilterSchema>;

export const outboxOrderSchema = z.enum(["newest", "oldest"], { error: "must be newest or oldest" });
export type OutboxOrder = z.infer<typeof outboxOrderSchema>;

/**
 * GET /api/outbox/rows?status=failed&eventType=…&order=newest&limit=50&cursor=…
 * The query string is the filter plus paging; every value arrives as text and is coerced here.
 */
export const outboxRowsQuerySchema = z
  .strictObject({
    ...filterFields,
    order: outboxOrderSchema.default("newest"),
    limit: z.coerce
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(1, "must be ≥ 1")
      .max(MAX_PAGE_ROWS, `must be ≤ ${MAX_PAGE_ROWS}`)
      .default(DEFAULT_PAGE_ROWS),
    /** Opaque: the `nextCursor` of the previous page. */
    cursor: z.string().max(300, "is not a cursor this server issued").optional(),
  })
  .superRefine(checkRanges);
export type OutboxRowsQuery = z.infer<typeof outboxRowsQuerySchema>;

/** One outbox row as the views show it. Timestamps are ISO strings with microseconds as stored. */
export const outboxRowSchema = z.object({
  eventId: z.string(),
  /** sequence (bigint) as decimal text. */
  sequence: z.string(),
  /** Logical status, or the raw value when it is none of the mapped three. */
  status: z.string(),
  eventType: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  retryCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type OutboxRow = z.infer<typeof outboxRowSchema>;

export const outboxRowsPageSchema = z.object({
  rows: z.array(outboxRowSchema),
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: z.string().nullable(),
  /** What the page is ordered by: sequence, or (updated_at, event_id) for failed rows (latest failures first). */
  orderedBy: z.enum(["sequence", "failedAt"]),
  /** Server time of the query, epoch ms. */
  asOf: z.number(),
});
export type OutboxRowsPage = z.infer<typeof outboxRowsPageSchema>;

/** A failure group's identity: the event type and the normalized error signature. */
export const failureGroupKeySchema = z.strictObject({
  eventType: z.string().min(1, "must not be empty").max(MAX_FILTER_TEXT, `must be at most ${MAX_FILTER_TEXT} characters`),
  signature: z.string().min(1, "must not be empty").max(1_000, "must be at most 1000 characters"),
});
export type FailureGroupKey = z.infer<typeof failureGroupKeySchema>;

export const failureGroupSchema = z.object({
  eventType: z.string(),
  /** last_error with numbers, ids and quoted values replaced by placeholders. */
  signature: z.string(),
  count: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  sampleError: z.string().nullable(),
  sampleEventId: z.string(),
});
export type FailureGroup = z.infer<typeof failureGroupSchema>;

/** The outbox table's index on the error signature (server/outbox/failure-groups.ts). */
export const failureGroupIndexSchema = z.object({
  name: z.string(),
  /** False while CREATE INDEX CONCURRENTLY builds it, or after such a build failed. */
  valid: z.boolean(),
  /** It includes the columns the grouping reads, so counts are index-only scans. */
  covering: z.boolean(),
});
export type FailureGroupIndex = z.infer<typeof failureGroupIndexSchema>;

/** GET /api/outbox/failure-groups */
export const failureGroupsResponseSchema = z.object({
  groups: z.array(failureGroupSchema),
  /** Failed rows in all groups. */
  totalFailed: z.number().int(),
  /** More groups existed than were returned (the largest are returned). */
  truncated: z.boolean(),
  /** When the grouping was computed (epoch ms); groups are recomputed every few seconds. */
  asOf: z.number(),
  /** How long the grouping query took (ms). */
  computeMs: z.number(),
  /** The failure-group index the grouping could use, if the table has one. */
  index: failureGroupIndexSchema.nullable(),
  /** The SQL of the recommended index, when the grouping was slow without it. */
  indexAdvice: z.string().nullable(),
});
export type FailureGroupsResponse = z.infer<typeof failureGroupsResponseSchema>;

/** Exactly one target: explicit ids, a filter, or a failure group. */
const targetFields = {
  eventIds: z
    .array(uuidSchema)
    .min(1, "must list at least one event id")
    .max(MAX_EVENT_IDS_PER_ACTION, `must list at most ${MAX_EVENT_IDS_PER_ACTION} event ids (use a filter or a failure group)`)
    .optional(),
  filter: outboxFilterSchema.optional(),
  group: failureGroupKeySchema.optional(),
};

const actionFields = {
  ...targetFields,
  /** Count and sample only; nothing changes and nothing is audited as done. */
  dryRun: z.boolean({ error: "must be true or false" }).default(false),
  /** Why; kept in the audit log. Required unless dryRun. */
  reason: z.string().trim().max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`).optional(),
  /** The same key from the same principal never acts twice. Required unless dryRun. */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,100}$/, "must be 8 to 100 characters of letters, digits and . _ : -")
    .optional(),
  /** Above CONFIRM_THRESHOLD_ROWS matched rows, the count the operator typed; must equal the matched count. */
  confirmCount: z.number().int("must be an integer").nonnegative("must be ≥ 0").optional(),
  /** Optional throttle, rows per second. */
  rowsPerSecond: z
    .number()
    .int("must be an integer")
    .min(1, "must be ≥ 1")
    .max(MAX_RATE_LIMIT_ROWS_PER_SECOND, `must be ≤ ${MAX_RATE_LIMIT_ROWS_PER_SECOND}`)
    .optional(),
};

function oneTarget(value: { eventIds?: unknown; filter?: unknown; group?: unknown }): boolean {
  return [value.eventIds, value.filter, value.group].filter((target) => target !== undefined).length === 1;
}

function requiredUnlessDryRun(value: { dryRun: boolean; reason?: string; idempotencyKey?: string }, ctx: z.RefinementCtx): void {
  if (value.dryRun) return;
  if (!value.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "is required (it goes to the audit log)" });
  if (!value.idempotencyKey) ctx.addIssue({ code: "custom", path: ["idempotencyKey"], message: "is required so that a repeated request never acts twice" });
}

const TARGET_MESSAGE = "give exactly one of eventIds, filter or group";

/** POST /api/outbox/retry: failed rows back to pending. */
export const retryRequestSchema = z
  .strictObject(actionFields)
  .refine(oneTarget, { message: TARGET_MESSAGE })
  .superRefine(requiredUnlessDryRun);
export type RetryRequest = z.infer<typeof retryRequestSchema>;

/** POST /api/outbox/replay: re-produce rows' events to Kafka. */
export const replayRequestSchema = z
  .strictObject({
    ...actionFields,
    /** The outbox topic (default) or one of the configured replay topics. */
    topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name").optional(),
  })
  .refine(oneTarget, { message: TARGET_MESSAGE })
  .superRefine(requiredUnlessDryRun);
export type ReplayRequest = z.infer<typeof replayRequestSchema>;

export const actionKindSchema = z.enum(["retry", "replay"]);
export type ActionKind = z.infer<typeof actionKindSchema>;

/** running → one of the final states. */
export const actionStateSchema = z.enum(["running", "succeeded", "cancelled", "failed"]);
export type ActionState = z.infer<typeof actionStateSchema>;

/** Where an action stands; the same shape answers the POST, GET /api/outbox/actions/<id> and `action:progress`. */
export const actionProgressSchema = z.object({
  actionId: z.number().int(),
  kind: actionKindSchema,
  state: actionStateSchema,
  dryRun: z.boolean(),
  /** Rows the target matched when the action started. */
  matched: z.number().int(),
  /** Retry: rows set back to pending. Replay: records Kafka acknowledged. */
  done: z.number().int(),
  /** Rows that changed meanwhile (no longer failed), left untouched. */
  skipped: z.number().int(),
  /** Rows whose batch failed (rolled back, or not acknowledged by Kafka). */
  failed: z.number().int(),
  /** Rows per second over the action so far. */
  rate: z.number(),
  /** Seconds to go at that rate; null when unknown. */
  etaSeconds: z.number().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Why it stopped, for cancelled and failed actions. */
  error: z.string().nullable(),
  /** The request repeated an idempotency key: this is the earlier action, nothing new was done. */
  duplicate: z.boolean(),
  /** A few of the matched rows (dry runs only). */
  sample: z.array(outboxRowSchema),
  /** Replay: the topic records went to. */
  topic: z.string().nullable(),
});
export type ActionProgress = z.infer<typeof actionProgressSchema>;

/** 409 body when a large action arrives without the typed count: the count to type. */
export const confirmationRequiredSchema = z.object({ error: z.string(), matched: z.number().int() });
export type ConfirmationRequired = z.infer<typeof confirmationRequiredSchema>;

/** `action:watch` payload (socket): start receiving `action:progress` for one action. */
export const actionWatchSchema = z.strictObject({ actionId: z.number().int().positive() });
/** Progress updates per second per action at most. */
export const ACTION_PROGRESS_PER_SECOND = 4;
