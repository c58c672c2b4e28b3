import { z } from "zod";
import { principalKindSchema } from "./auth";
import { roleSchema } from "@/lib/auth/roles";

/**
 * The audit log: one entry per operator action (retry, replay, connector restart), written by the
 * server in its own schema (`outbox_lens.audit_log`). GET /api/audit lists entries newest first;
 * GET /api/audit/export streams the same filter as CSV. Admins see everyone's entries, others
 * their own.
 */

export const AUDIT_API = { list: "/api/audit", export: "/api/audit/export" } as const;

export const AUDIT_ACTIONS = ["outbox:retry", "outbox:replay", "connector:restart", "message:reproduce"] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS, { error: `must be one of ${AUDIT_ACTIONS.join(", ")}` });
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditOutcomeSchema = z.enum(["running", "succeeded", "cancelled", "failed"]);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

export const MAX_AUDIT_PAGE = 200;
/** Rows one CSV export holds at most; narrow the time range for more. */
export const MAX_AUDIT_EXPORT_ROWS = 100_000;

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time like 2026-01-31T12:00:00Z" });

export const auditQuerySchema = z
  .strictObject({
    actor: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
    action: auditActionSchema.optional(),
    /** Entries that touched this event. */
    eventId: z.uuid({ error: "must be a UUID" }).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(1, "must be ≥ 1").max(MAX_AUDIT_PAGE, `must be ≤ ${MAX_AUDIT_PAGE}`).default(50),
    /** Entries with an id below this (the previous page's nextCursor). */
    cursor: z.coerce.number({ error: "must be a number" }).int("must be an integer").positive("must be > 0").optional(),
  })
  .refine((q) => !(q.from && q.to) || Date.parse(q.from) < Date.parse(q.to), { message: "must be later than from", path: ["to"] });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  finishedAt: z.string().nullable(),
  actor: z.string(),
  actorKind: principalKindSchema,
  role: roleSchema,
  action: auditActionSchema,
  /** What the action was aimed at: {eventIds}, {filter}, {group} or {connector}. */
  target: z.record(z.string(), z.unknown()),
  dryRun: z.boolean(),
  reason: z.string().nullable(),
  matched: z.number().int().nullable(),
  changed: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  idempotencyKey: z.string().nullable(),
  outcome: auditOutcomeSchema,
  error: z.string().nullable(),
  /** Replay: the topic. */
  topic: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.number().int().nullable(),
  /** Whether the list holds everyone's entries (admins) or the requester's own. */
  scope: z.enum(["all", "own"]),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
