import type { AuditAction, AuditEntry, AuditOutcome, AuditPage, AuditQuery } from "@/lib/contracts/audit";
import type { Principal } from "@/lib/contracts/auth";
import { isoUtc } from "./table";
import type { Pool } from "./db";
import { OWN_SCHEMA } from "./own-schema";
import { Params } from "./sql";

/**
 * The audit log (outbox_lens.audit_log): one entry per operator action. An action's entry is
 * written before it changes anything ("running"); each batch then adds its counts to the entry in
 * the same statement that changes the rows, so counts and changes commit together; the entry is
 * finished (outcome, error, finished_at) when the action ends. Entries of a server that stopped
 * mid-action are closed as failed at the next start.
 */

const LOG = `${OWN_SCHEMA}.audit_log`;
const EVENTS = `${OWN_SCHEMA}.audit_events`;

/** Actions listed for one event in its trace at most (the newest). */
export const MAX_EVENT_AUDIT_ENTRIES = 100;
/** A running entry without a batch for this long is an interrupted one (its server stopped). */
export const INTERRUPTED_AFTER_MS = 120_000;
/** Rows the CSV export reads per round trip. */
export const EXPORT_CHUNK_ROWS = 1_000;

export interface NewAuditEntry {
  principal: Principal;
  action: AuditAction;
  target: Record<string, unknown>;
  dryRun: boolean;
  reason: string | null;
  matched: number | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  outcome: AuditOutcome;
  topic: string | null;
  error?: string | null;
  changed?: number;
}

interface AuditRecord {
  id: string;
  at: string;
  finished_at: string | null;
  actor: string;
  actor_kind: AuditEntry["actorKind"];
  role: AuditEntry["role"];
  action: AuditAction;
  target: Record<string, unknown>;
  dry_run: boolean;
  reason: string | null;
  matched: string | null;
  changed: string;
  skipped: string;
  failed: string;
  idempotency_key: string | null;
  request_hash: string | null;
  outcome: AuditOutcome;
  error: string | null;
  topic: string | null;
}

// Output columns are text (bigint is wider than a JS number's exact range); ORDER BY names the
// table's column (`${LOG}.id`), never the bare output name, which would sort as text ("9" > "10").
const SELECT_LIST = `id::text, ${isoUtc("at")} AS at, ${isoUtc("finished_at")} AS finished_at, actor, actor_kind, role, action, target, dry_run, reason,
  matched::text, changed::text, skipped::text, failed::text, idempotency_key, request_hash, outcome, error, topic`;

function toEntry(record: AuditRecord): AuditEntry {
  return {
    id: Number(record.id),
    at: record.at,
    finishedAt: record.finished_at,
    actor: record.actor,
    actorKind: record.actor_kind,
    role: record.role,
    action: record.action,
    target: record.target,
    dryRun: record.dry_run,
    reason: record.reason,
    matched: record.matched === null ? null : Number(record.matched),
    changed: Number(record.changed),
    skipped: Number(record.skipped),
    failed: Number(record.failed),
    idempotencyKey: record.idempotency_key,
    outcome: record.outcome,
    error: record.error,
    topic: record.topic,
  };
}

export interface StoredAuditEntry extends AuditEntry {
  requestHash: string | null;
}

export class AuditLog {
  constructor(readonly pool: Pool) {}

  /**
   * Writes a new entry. With an idempotency key already used by the same principal for the same
   * action, nothing is written and the earlier entry is returned with `created: false`.
   */
  async insert(entry: NewAuditEntry): Promise<{ entry: StoredAuditEntry; created: boolean }> {
    const result = await this.pool.query<AuditRecord>(
      `INSERT INTO ${LOG} (actor, actor_kind, role, action, target, dry_run, reason, matched, idempotency_key, request_hash, outcome, topic, error, changed, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, CASE WHEN $11 = 'running' THEN NULL ELSE clock_timestamp() END)
       ON CONFLICT (actor_kind, actor, action, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING ${SELECT_LIST}`,
      [
        entry.principal.name,
        entry.principal.kind,
        entry.principal.role,
        entry.action,
        JSON.stringify(entry.target),
        entry.dryRun,
        entry.reason,
        entry.matched,
        entry.idempotencyKey,
        entry.requestHash,
        entry.outcome,
        entry.topic,
        entry.error ?? null,
        entry.changed ?? 0,
      ],
    );
    const inserted = result.rows[0];
    if (inserted) return { entry: stored(inserted), created: true };
    const existing = await this.byIdempotencyKey(entry.principal, entry.action, entry.idempotencyKey!);
    if (!existing) throw new Error("an audit entry with this idempotency key was reported and then not found");
    return { entry: existing, created: false };
  }

  async byIdempotencyKey(principal: Principal, action: AuditAction, key: string): Promise<StoredAuditEntry | null> {
    const result = await this.pool.query<AuditRecord>(
      `SELECT ${SELECT_LIST} FROM ${LOG} WHERE actor_kind = $1 AND actor = $2 AND action = $3 AND idempotency_key = $4`,
      [principal.kind, principal.name, action, key],
    );
    return result.rows[0] ? stored(result.rows[0]) : null;
  }

  /** Records which events an action touched (one row per batch); the event trace finds the action through it. */
  async recordEvents(auditId: number, batch: number, eventIds: readonly string[]): Promise<void> {
    await this.pool.query(`INSERT INTO ${EVENTS} (audit_id, batch, event_ids) VALUES ($1, $2, $3::text[]) ON CONFLICT DO NOTHING`, [auditId, batch, eventIds]);
  }

  async get(id: number): Promise<StoredAuditEntry | null> {
    const result = await this.pool.query<AuditRecord>(`SELECT ${SELECT_LIST} FROM ${LOG} WHERE id = $1`, [id]);
    return result.rows[0] ? stored(result.rows[0]) : null;
  }

  /** Closes an entry: its final counts (those not already added by batches), outcome and error. */
  async finish(id: number, update: { outcome: AuditOutcome; skipped: number; failed: number; error: string | null; changed?: number }): Promise<void> {
    await this.pool.query(
      `UPDATE ${LOG} SET outcome = $2, skipped = $3, failed = $4, error = $5, changed = coalesce($6, changed), finished_at = clock_timestamp() WHERE id = $1`,
      [id, update.outcome, update.skipped, update.failed, update.error, update.changed ?? null],
    );
  }

  /**
   * Entries left "running" by a server that stopped mid-action (no batch for `staleMs`); their
   * counts are what committed. Another dashboard's live action writes a heartbeat with every batch
   * and is left alone.
   */
  async closeInterrupted(staleMs = INTERRUPTED_AFTER_MS): Promise<number> {
    const result = await this.pool.query(
      `UPDATE ${LOG} SET outcome = 'failed', error = 'interrupted: the Outbox Lens server stopped during the action; the counts are what committed', finished_at = clock_timestamp()
       WHERE outcome = 'running' AND heartbeat_at < clock_timestamp() - make_interval(secs => $1)`,
      [staleMs / 1000],
    );
    return result.rowCount ?? 0;
  }

  /** A page, newest first; `actor` limits it to one principal's entries (non-admins). */
  async list(query: AuditQuery, onlyActor: Principal | null): Promise<AuditPage> {
    const params = new Params();
    const where = this.conditions(query, onlyActor, params);
    if (query.cursor !== undefined) where.push(`id < ${params.add(query.cursor)}`);
    const limit = params.add(query.limit + 1);
    const result = await this.pool.query<AuditRecord>(
      `SELECT ${SELECT_LIST} FROM ${LOG} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${LOG}.id DESC LIMIT ${limit}`,
      params.values,
    );
    const entries = result.rows.slice(0, query.limit).map(toEntry);
    const hasMore = result.rows.length > query.limit;
    return { entries, nextCursor: hasMore ? (entries.at(-1)?.id ?? null) : null, scope: onlyActor ? "own" : "all" };
  }

  /** Every entry of the query, newest first, in chunks of {@link EXPORT_CHUNK_ROWS}, at most `max`. */
  async *stream(query: AuditQuery, onlyActor: Principal | null, max: number): AsyncGenerator<AuditEntry> {
    let cursor = query.cursor;
    let sent = 0;
    while (sent < max) {
      const page = await this.list({ ...query, cursor, limit: Math.min(EXPORT_CHUNK_ROWS, max - sent) }, onlyActor);
      for (const entry of page.entries) yield entry;
      sent += page.entries.length;
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  /** The actions that touched an event (through their batch records), newest first. */
  async forEvent(eventId: string): Promise<AuditEntry[]> {
    const result = await this.pool.query<AuditRecord>(
      `SELECT ${SELECT_LIST} FROM ${LOG} WHERE ${touchedEvent("$1")}
       ORDER BY ${LOG}.id DESC LIMIT ${MAX_EVENT_AUDIT_ENTRIES}`,
      [eventId],
    );
    return result.rows.map(toEntry);
  }

  private conditions(query: AuditQuery, onlyActor: Principal | null, params: Params): string[] {
    const where: string[] = [];
    if (onlyActor) where.push(`actor_kind = ${params.add(onlyActor.kind)} AND actor = ${params.add(onlyActor.name)}`);
    if (query.actor) where.push(`actor = ${params.add(query.actor)}`);
    if (query.action) where.push(`action = ${params.add(query.action)}`);
    if (query.from) where.push(`at >= ${params.add(query.from)}::timestamptz`);
    if (query.to) where.push(`at < ${params.add(query.to)}::timestamptz`);
    if (query.eventId) {
      const id = params.add(query.eventId);
      where.push(`(${touchedEvent(id)})`);
    }
    return where;
  }
}

/**
 * An audit entry touched the event (`placeholder`): a batch record of its lists the id, or its
 * target names it. Both are found by GIN indexes: batch records by the hash of the id (the index
 * on event_keys(event_ids), see migrations.ts), then the id itself, as two ids may share a hash.
 * The batch records' ids are looked up in a subquery planned on its own (ARRAY(...), an init
 * plan): as `id IN (...) OR ...` the planner made it a hashed subplan over every batch record,
 * detoasting each list of up to 2,000 ids, ~0.9 s per lookup with 2,300 records (4.4 M ids) where
 * the index answers in ~1 ms (bench:outbox).
 */
function touchedEvent(placeholder: string): string {
  const ids = `ARRAY[${placeholder}]::text[]`;
  return `id = ANY(ARRAY(SELECT audit_id FROM ${EVENTS} WHERE ${OWN_SCHEMA}.event_keys(event_ids) @> ${OWN_SCHEMA}.event_keys(${ids}) AND event_ids @> ${ids})) OR target -> 'eventIds' ? ${placeholder}`;
}

function stored(record: AuditRecord): StoredAuditEntry {
  return { ...toEntry(record), requestHash: record.request_hash };
}

/** SQL of one batch's record, for the statement that changes the batch's rows. */
export const AUDIT_EVENTS_TABLE = EVENTS;
export const AUDIT_LOG_TABLE = LOG;
