import { createHash } from "node:crypto";
import pg, { type QueryResultRow } from "pg";
import type { AuditAction } from "@/lib/contracts/audit";
import type { Principal } from "@/lib/contracts/auth";
import {
  ACTION_PROGRESS_PER_SECOND,
  CONFIRM_THRESHOLD_ROWS,
  DRY_RUN_SAMPLE_ROWS,
  MAX_ROWS_PER_ACTION,
  type ActionKind,
  type ActionProgress,
  type ActionState,
  type OutboxRow,
  type ReplayRequest,
  type RetryRequest,
} from "@/lib/contracts/outbox";
import { describeError } from "@/lib/errors/describe-error";
import { ReplaySendError, TopicMissingError, type ReplayProducer, type ReplayRecord, type ReplayTopic } from "@/server/kafka/replay-producer";
import { RecordTooLargeError } from "@/server/kafka/replay-requests";
import type { Logger } from "@/server/log";
import { AUDIT_EVENTS_TABLE, AUDIT_LOG_TABLE, type AuditLog, type StoredAuditEntry } from "./audit";
import { copyBinaryRows } from "./binary-copy";
import type { Pool } from "./db";
import { groupConditions } from "./failure-groups";
import { filterConditions, Params, prefixed, rowSelectList, toOutboxRow, type OutboxRowRecord } from "./sql";
import { isoUtc, statusValue, type OutboxTable } from "./table";

/**
 * Retry (failed → pending) and replay (re-produce to Kafka), for explicit ids, a filter or a
 * failure group: counted and sampled first (dry run), confirmed when large, idempotent by key,
 * run in bounded batches with progress, cancellable between batches, and audited.
 *
 * Retry, one statement per batch (one short transaction, under the action pool's lock_timeout and
 * statement_timeout): select the next batch of the target's failed rows in the failed index's
 * order (updated_at, event_id) after the previous batch and not later than the newest matched
 * row, update those still failed (a row the processor or another retry changed meanwhile is left
 * alone and counted as skipped), record the changed ids and add the count to the audit entry.
 * The changes and their audit counts commit together or not at all. Concurrent retries of the
 * same rows change each row once: the UPDATE re-checks `status = failed` after taking the lock.
 *
 * Replay: batches in sequence order up to the newest matched row; a batch counts as produced only
 * once Kafka acknowledged all of it (acks = all); its ids and count are then recorded.
 */

/** Rows per retry batch: each batch locks at most this many rows for a few milliseconds. */
export const RETRY_BATCH_ROWS = 1_000;
/** Records per replay batch: one produce request of a few hundred kilobytes. */
export const REPLAY_BATCH_ROWS = 2_000;
/**
 * Replay ranges read at once, ahead of the batch being produced: a read (PostgreSQL building ~2 MB
 * of JSON, the client parsing it) takes longer than Kafka takes to acknowledge a batch, so one read
 * at a time left the producer waiting on every batch. Each read holds a connection of the action pool.
 */
export const REPLAY_READS_AHEAD = 2;
/**
 * Connections of the actions' own pool: a replay's reads ahead (REPLAY_READS_AHEAD) and the record
 * of the batch before run at once. More actions wait for them in turn.
 */
export const ACTION_POOL_CONNECTIONS = REPLAY_READS_AHEAD + 1;
/**
 * A replay batch's keys and values hold this many bytes at most (and the row that passes it):
 * fewer rows when the rows are large, so the batch being produced and those read ahead
 * (REPLAY_READS_AHEAD) stay within ~24 MiB whatever the payloads.
 */
export const REPLAY_READ_MAX_BYTES = 8 * 1024 * 1024;
/** A replay's read ranges (sequence numbers kept for its length): batches of more rows each beyond it. */
export const REPLAY_MAX_RANGES = 1_000;
/** Actions running at once; more are refused (429) rather than queued without bound. */
export const MAX_RUNNING_ACTIONS = 64;
/** Finished actions kept in memory for progress queries (older ones are read from the audit log). */
export const MAX_FINISHED_ACTIONS_KEPT = 200;
/** A POST answers with the final counts if the action ends within this; else 202 and progress. */
export const RESPOND_WITHIN_MS = 2_000;
/** Lock waits of a batch end after this; the batch is tried again a few times, then the action fails. */
export const ACTION_LOCK_TIMEOUT_MS = 2_000;
export const ACTION_STATEMENT_TIMEOUT_MS = 15_000;
const LOCK_RETRIES = 3;
/** A progress listener hears at most ACTION_PROGRESS_PER_SECOND updates a second (the last one always). */
const PROGRESS_INTERVAL_MS = 1000 / ACTION_PROGRESS_PER_SECOND;
// After a failure (PostgreSQL down) the audit entry is closed as soon as PostgreSQL answers again.
const FINISH_RETRY_MS = 2_000;
const FINISH_RETRIES = 60;

// Next bundles route handlers apart from the modules the custom server loads, so the runtime's
// OutboxActions throws instances of another copy of the class than the one a route imports:
// `instanceof` fails across the two. A registered symbol is the same in both.
const ACTION_REQUEST_ERROR = Symbol.for("outbox-lens.ActionRequestError");

/** A refusal with the HTTP status that says what to do. */
export class ActionRequestError extends Error {
  readonly [ACTION_REQUEST_ERROR] = true;

  constructor(
    readonly status: number,
    message: string,
    readonly matched?: number,
  ) {
    super(message);
    this.name = "ActionRequestError";
  }
}

/** Whether `error` is an {@link ActionRequestError} of any copy of this module. */
export function isActionRequestError(error: unknown): error is ActionRequestError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[ACTION_REQUEST_ERROR] === true;
}

export interface OutboxActionsOptions {
  table: OutboxTable;
  /** A pool of its own (lock_timeout, statement_timeout set), so actions never starve the polls. */
  actionPool: Pool;
  audit: AuditLog;
  replay: ReplayProducer;
  /** The outbox topic: the default replay destination. */
  outboxTopic: string;
  /** Other topics a replay may go to. */
  replayTopics: readonly string[];
  logger: Logger;
  /** Called after an action changed rows (the failure groups are then stale). */
  onChanged?: () => void;
}

type Request = RetryRequest | ReplayRequest;
type Listener = (progress: ActionProgress) => void;

interface RunningAction {
  progress: ActionProgress;
  controller: AbortController;
  listeners: Set<Listener>;
  lastEmitAt: number;
  emitTimer: NodeJS.Timeout | null;
  done: Promise<void>;
  principal: Principal;
}

/** A replay's read of one range: its rows, whether the range has none left after them, and where the next read starts when it has. */
interface ReplayBatchRead {
  rows: ReplayRow[];
  complete: boolean;
  cursor: string | null;
}

/** A row of a replay, with the key and value of its record as the bytes PostgreSQL built. */
interface ReplayRow {
  id: string;
  key: Buffer;
  value: Buffer;
}

interface Plan {
  kind: ActionKind;
  conditions: string[];
  params: Params;
  matched: number;
  /** Retry: newest updated_at of the matched rows. Replay: highest sequence. Null when none matched. */
  bound: string | null;
  /**
   * Replay: the lowest matched sequence less one, where its batches start. Read from the table's
   * start, the first batch walked the sequence order through every row before the first match:
   * rows matched near the end of a 10 M-row table took seconds to reach. Null for a retry, and
   * when none matched.
   */
  start: string | null;
  /** A replay's destination, as Kafka described it when the action started. */
  topic: ReplayTopic | null;
}

export class OutboxActions {
  private readonly actions = new Map<number, RunningAction>();

  constructor(private readonly options: OutboxActionsOptions) {}

  get running(): number {
    let count = 0;
    for (const action of this.actions.values()) if (action.progress.state === "running") count++;
    return count;
  }

  /** POST /api/outbox/retry and /replay: a dry run, or an action started (and maybe finished). */
  async submit(kind: ActionKind, request: Request, principal: Principal): Promise<{ status: 200 | 202; progress: ActionProgress }> {
    const auditAction: AuditAction = kind === "retry" ? "outbox:retry" : "outbox:replay";
    const topic = kind === "replay" ? this.replayTopic(request as ReplayRequest) : null;
    const requestHash = hashRequest(kind, request, topic);

    if (!request.dryRun && request.idempotencyKey) {
      const earlier = await this.options.audit.byIdempotencyKey(principal, auditAction, request.idempotencyKey);
      if (earlier) return { status: 200, progress: this.duplicateOf(earlier, requestHash, kind) };
    }
    // Kafka describes the topic while PostgreSQL counts the target; a topic refused comes first.
    const [described, planned] = await Promise.allSettled([topic ? this.checkTopic(topic) : null, this.plan(kind, request)]);
    if (described.status === "rejected") throw described.reason;
    if (planned.status === "rejected") throw planned.reason;
    const plan: Plan = { ...planned.value, topic: described.value };
    const target = targetOf(request);
    if (request.dryRun) {
      const sample = await this.sample(plan);
      const { entry } = await this.options.audit.insert({
        principal,
        action: auditAction,
        target,
        dryRun: true,
        reason: request.reason ?? null,
        matched: plan.matched,
        idempotencyKey: null,
        requestHash,
        outcome: "succeeded",
        topic,
      });
      return { status: 200, progress: { ...progressOf(entry, kind), sample } };
    }
    if (plan.matched > CONFIRM_THRESHOLD_ROWS && request.confirmCount !== plan.matched) {
      throw new ActionRequestError(
        409,
        request.confirmCount === undefined
          ? `this ${kind} matches ${plan.matched} rows, more than ${CONFIRM_THRESHOLD_ROWS}: send confirmCount = ${plan.matched} to confirm`
          : `confirmCount is ${request.confirmCount} but the ${kind} now matches ${plan.matched} rows: confirm the new count`,
        plan.matched,
      );
    }
    if (this.running >= MAX_RUNNING_ACTIONS) throw new ActionRequestError(429, `${MAX_RUNNING_ACTIONS} actions are running; wait for one to finish`);

    const { entry, created } = await this.options.audit.insert({
      principal,
      action: auditAction,
      target,
      dryRun: false,
      reason: request.reason ?? null,
      matched: plan.matched,
      idempotencyKey: request.idempotencyKey ?? null,
      requestHash,
      outcome: plan.matched === 0 ? "succeeded" : "running",
      topic,
    });
    if (!created) return { status: 200, progress: this.duplicateOf(entry, requestHash, kind) };
    const progress = progressOf(entry, kind);
    if (plan.matched === 0) return { status: 200, progress };

    const action = this.track(progress, principal);
    action.done = this.run(action, plan, request, principal);
    const finished = await Promise.race([action.done.then(() => true), delay(RESPOND_WITHIN_MS).then(() => false)]);
    return { status: finished ? 200 : 202, progress: { ...action.progress } };
  }

  /** The state of an action: from memory while tracked, else from the audit log. */
  async get(actionId: number): Promise<ActionProgress | null> {
    const tracked = this.actions.get(actionId);
    if (tracked) return { ...tracked.progress };
    const entry = await this.options.audit.get(actionId);
    if (!entry || (entry.action !== "outbox:retry" && entry.action !== "outbox:replay")) return null;
    return progressOf(entry, entry.action === "outbox:retry" ? "retry" : "replay");
  }

  /** The state of an action once it has ended (its audit entry closed too). */
  async finished(actionId: number): Promise<ActionProgress | null> {
    const tracked = this.actions.get(actionId);
    if (!tracked) return this.get(actionId);
    await tracked.done;
    return { ...tracked.progress };
  }

  /** Owner of a tracked action, for authorization of cancel. */
  ownerOf(actionId: number): Principal | null {
    return this.actions.get(actionId)?.principal ?? null;
  }

  /** Stops a running action before its next batch; resolves once it has stopped. */
  async cancel(actionId: number): Promise<ActionProgress | null> {
    const action = this.actions.get(actionId);
    if (!action) return this.get(actionId);
    if (action.progress.state === "running") {
      action.controller.abort();
      await action.done;
    }
    return { ...action.progress };
  }

  /** Progress of one action, throttled; the current state first. Returns the unsubscribe. */
  watch(actionId: number, listener: Listener): () => void {
    const action = this.actions.get(actionId);
    if (!action) return () => undefined;
    action.listeners.add(listener);
    // The current state after the caller has its unsubscribe, never during the call.
    queueMicrotask(() => {
      if (action.listeners.has(listener)) listener({ ...action.progress });
    });
    return () => action.listeners.delete(listener);
  }

  /** Cancels every running action and waits for them (shutdown). */
  async stop(): Promise<void> {
    const running = [...this.actions.values()].filter((action) => action.progress.state === "running");
    for (const action of running) action.controller.abort();
    await Promise.allSettled(running.map((action) => action.done));
  }

  private replayTopic(request: ReplayRequest): string {
    const topic = request.topic ?? this.options.outboxTopic;
    if (topic !== this.options.outboxTopic && !this.options.replayTopics.includes(topic)) {
      throw new ActionRequestError(422, `topic: ${topic} is neither the outbox topic (${this.options.outboxTopic}) nor one of REPLAY_TOPICS`);
    }
    return topic;
  }

  private async checkTopic(topic: string): Promise<ReplayTopic> {
    try {
      return await this.options.replay.checkTopic(topic);
    } catch (error) {
      if (error instanceof TopicMissingError) throw new ActionRequestError(422, `topic: ${error.message}`);
      throw new ActionRequestError(503, `Kafka could not be asked whether topic ${topic} exists: ${describeError(error)}`);
    }
  }

  private duplicateOf(entry: StoredAuditEntry, requestHash: string, kind: ActionKind): ActionProgress {
    if (entry.requestHash !== requestHash) {
      throw new ActionRequestError(422, "idempotencyKey: was already used for a different request; use a new key for a new action");
    }
    const tracked = this.actions.get(entry.id);
    return { ...(tracked ? tracked.progress : progressOf(entry, kind)), duplicate: true };
  }

  /** The target's conditions and its count now (with the bound that keeps later rows out). */
  private async plan(kind: ActionKind, request: Request): Promise<Omit<Plan, "topic">> {
    const { table } = this.options;
    const c = prefixed(table);
    const params = new Params();
    const conditions: string[] = [];
    const failed = statusValue(table, "failed");
    if (request.eventIds) conditions.push(`${c.eventId} = ANY(${params.add(request.eventIds)})`);
    if (request.filter) {
      if (kind === "retry" && request.filter.status && request.filter.status !== "failed") {
        throw new ActionRequestError(422, "filter.status: a retry acts on failed rows only (leave status out or set it to failed)");
      }
      conditions.push(...filterConditions(table, request.filter, params));
    }
    if (request.group) {
      conditions.push(...groupConditions(table, request.group, params));
      if (kind === "replay") conditions.push(`${c.status} = ${params.add(failed)}`);
    }
    if (kind === "retry") conditions.push(`${c.status} = ${params.add(failed)}`);
    // A replay of every row (an empty filter) has no condition of its own.
    if (conditions.length === 0) conditions.push("TRUE");

    const bound = kind === "retry" ? `${isoUtc(`max(${c.updatedAt})`)}` : `max(${c.sequence})::text`;
    const start = kind === "replay" ? `(min(${c.sequence}) - 1)::text` : "NULL";
    const result = await this.query<{ matched: string; bound: string | null; start: string | null }>(
      `SELECT count(*)::text AS matched, ${bound} AS bound, ${start} AS start FROM ${table.quoted.table} o WHERE ${conditions.join(" AND ")}`,
      params.values,
    );
    const matched = Number(result.rows[0]?.matched ?? 0);
    if (matched > MAX_ROWS_PER_ACTION) {
      throw new ActionRequestError(422, `the target matches ${matched} rows, more than the ${MAX_ROWS_PER_ACTION} one action may ${kind}; narrow the filter`, matched);
    }
    return { kind, conditions, params, matched, bound: result.rows[0]?.bound ?? null, start: result.rows[0]?.start ?? null };
  }

  private async sample(plan: Plan): Promise<OutboxRow[]> {
    if (plan.matched === 0) return [];
    const { table } = this.options;
    const c = prefixed(table);
    const order = plan.kind === "retry" ? `${c.updatedAt}, ${c.eventId}` : c.sequence;
    const result = await this.query<OutboxRowRecord>(
      `SELECT ${rowSelectList(table)} FROM ${table.quoted.table} o WHERE ${plan.conditions.join(" AND ")} ORDER BY ${order} LIMIT ${DRY_RUN_SAMPLE_ROWS}`,
      plan.params.values,
    );
    return result.rows.map((row) => toOutboxRow(table, row));
  }

  private track(progress: ActionProgress, principal: Principal): RunningAction {
    const action: RunningAction = {
      progress,
      controller: new AbortController(),
      listeners: new Set(),
      lastEmitAt: 0,
      emitTimer: null,
      done: Promise.resolve(),
      principal,
    };
    this.actions.set(progress.actionId, action);
    this.evictFinished();
    return action;
  }

  private evictFinished(): void {
    let finished = [...this.actions.values()].filter((action) => action.progress.state !== "running").length;
    for (const [id, action] of this.actions) {
      if (finished <= MAX_FINISHED_ACTIONS_KEPT) break;
      if (action.progress.state === "running") continue;
      this.actions.delete(id);
      finished--;
    }
  }

  private async run(action: RunningAction, plan: Plan, request: Request, principal: Principal): Promise<void> {
    const { logger } = this.options;
    const progress = action.progress;
    let state: ActionState = "succeeded";
    let error: string | null = null;
    try {
      if (plan.kind === "retry") await this.runRetry(action, plan, request.rowsPerSecond);
      else await this.runReplay(action, plan, request as ReplayRequest, principal);
      if (action.controller.signal.aborted) {
        state = "cancelled";
        error = "cancelled by the operator before the next batch";
      }
    } catch (failure) {
      state = "failed";
      error = describeError(failure);
      logger.warn(`${plan.kind} ${progress.actionId} stopped: ${error}`);
    }
    // A completed action went through every matched row: those it neither changed nor failed had
    // changed meanwhile (or left the target). A stopped one leaves its remaining rows untouched.
    if (state === "succeeded") progress.skipped = Math.max(progress.skipped, progress.matched - progress.done - progress.failed);
    progress.state = state;
    progress.error = error;
    progress.finishedAt = Date.now();
    progress.etaSeconds = null;
    this.emit(action, true);
    if (progress.done > 0) this.options.onChanged?.();
    logger.info(
      `${principal.kind} ${principal.name} (${principal.role}) ${plan.kind} ${progress.actionId}: ${state}, matched ${progress.matched}, done ${progress.done}, skipped ${progress.skipped}, failed ${progress.failed}`,
    );
    await this.finishAudit(progress, plan.kind);
  }

  private async finishAudit(progress: ActionProgress, kind: ActionKind): Promise<void> {
    const update = {
      outcome: progress.state,
      skipped: progress.skipped,
      failed: progress.failed,
      error: progress.error,
      // Retry batches added their counts in their own transactions; a replay's are written here
      // too, in case PostgreSQL missed one after Kafka had acknowledged it.
      ...(kind === "replay" ? { changed: progress.done } : {}),
    };
    for (let attempt = 0; attempt < FINISH_RETRIES; attempt++) {
      try {
        await this.options.audit.finish(progress.actionId, update);
        return;
      } catch (error) {
        if (attempt === 0) this.options.logger.warn(`audit entry ${progress.actionId} not closed yet (${describeError(error)}); retrying every ${FINISH_RETRY_MS} ms`);
        await delay(FINISH_RETRY_MS);
      }
    }
    this.options.logger.error(`audit entry ${progress.actionId} could not be closed; it is closed as interrupted at the next start`);
  }

  private async runRetry(action: RunningAction, plan: Plan, rowsPerSecond: number | undefined): Promise<void> {
    const { table } = this.options;
    const c = prefixed(table);
    const progress = action.progress;
    const batchRows = Math.min(RETRY_BATCH_ROWS, rowsPerSecond ?? RETRY_BATCH_ROWS);
    let cursor: { at: string; id: string } | null = null;
    for (let batch = 1; !action.controller.signal.aborted; batch++) {
      const params = new Params();
      params.values.push(...plan.params.values);
      const where = [...plan.conditions, `${c.updatedAt} <= ${params.add(plan.bound)}::timestamptz`];
      if (cursor) where.push(`(${c.updatedAt}, ${c.eventId}) > (${params.add(cursor.at)}::timestamptz, ${params.add(cursor.id)})`);
      const failed = params.add(statusValue(table, "failed"));
      const sql = `
        WITH batch AS (
          SELECT ${c.eventId} AS id, ${c.updatedAt} AS at FROM ${table.quoted.table} o
          WHERE ${where.join(" AND ")}
          ORDER BY ${c.updatedAt}, ${c.eventId} LIMIT ${params.add(batchRows)}
        ), changed AS (
          UPDATE ${table.quoted.table} o SET
            ${table.quoted.columns.status} = ${params.add(statusValue(table, "pending"))},
            ${table.quoted.columns.retryCount} = ${c.retryCount} + 1,
            ${table.quoted.columns.lastError} = NULL,
            ${table.quoted.columns.updatedAt} = clock_timestamp()
          FROM batch WHERE ${c.eventId} = batch.id AND ${c.status} = ${failed} AND ${c.updatedAt} = batch.at
          RETURNING ${c.eventId}::text AS id
        ), recorded AS (
          INSERT INTO ${AUDIT_EVENTS_TABLE} (audit_id, batch, event_ids)
          SELECT ${params.add(progress.actionId)}, ${params.add(batch)}, array_agg(id) FROM changed HAVING count(*) > 0
          RETURNING cardinality(event_ids) AS n
        ), counted AS (
          UPDATE ${AUDIT_LOG_TABLE} SET changed = changed + (SELECT n FROM recorded), heartbeat_at = clock_timestamp() WHERE id = ${params.add(progress.actionId)} AND EXISTS (SELECT 1 FROM recorded)
          RETURNING changed
        )
        SELECT (SELECT count(*) FROM batch)::int AS scanned,
               coalesce((SELECT n FROM recorded), 0)::int AS changed,
               (SELECT ${isoUtc("at")} FROM batch ORDER BY at DESC, id DESC LIMIT 1) AS last_at,
               (SELECT id::text FROM batch ORDER BY at DESC, id DESC LIMIT 1) AS last_id,
               (SELECT count(*) FROM counted)::int AS audited`;
      const result = await this.withLockRetries(() =>
        this.query<{ scanned: number; changed: number; last_at: string | null; last_id: string | null }>(sql, params.values),
      );
      const row = result.rows[0]!;
      if (row.scanned === 0 || !row.last_at || !row.last_id) return;
      progress.done += row.changed;
      progress.skipped += row.scanned - row.changed;
      cursor = { at: row.last_at, id: row.last_id };
      this.advance(action);
      if (row.scanned < batchRows) return;
      await this.throttle(action, rowsPerSecond);
    }
  }

  private async runReplay(action: RunningAction, plan: Plan, request: ReplayRequest, principal: Principal): Promise<void> {
    const progress = action.progress;
    const topic = plan.topic!;
    const batchRows = Math.min(REPLAY_BATCH_ROWS, request.rowsPerSecond ?? REPLAY_BATCH_ROWS);
    const headers = { "x-replay-id": String(progress.actionId), "x-replayed-by": `${principal.kind}:${principal.name}`, "x-replay-reason": request.reason ?? "" };
    const [image, uppers] = await Promise.all([this.replayImageSql(), this.replayRanges(plan, batchRows)]);
    // Batches ahead: the next ranges are read from PostgreSQL (REPLAY_READS_AHEAD at once) while
    // Kafka acknowledges this batch, and a batch's record of ids and count is written while the
    // next batch is produced. A range whose rows pass the byte budget is read on, in turn, from
    // its last row read.
    const ahead: Array<{ upper: string; read: Promise<ReplayBatchRead> }> = [];
    let nextRange = 0;
    const readRange = (lower: string | null, upper: string) => {
      const read = this.readReplayBatch(plan, image, lower, upper, batchRows);
      // A read started but not needed (cancelled, failed) must not end as an unhandled rejection.
      read.catch(() => undefined);
      return read;
    };
    const readAhead = () => {
      while (ahead.length < REPLAY_READS_AHEAD && nextRange < uppers.length) {
        const lower = nextRange === 0 ? plan.start : uppers[nextRange - 1]!;
        const upper = uppers[nextRange++]!;
        ahead.push({ upper, read: readRange(lower, upper) });
      }
    };
    const read = async (): Promise<ReplayRow[]> => {
      for (readAhead(); ahead.length > 0; readAhead()) {
        const range = ahead[0]!;
        const { rows, complete, cursor } = await range.read;
        if (complete) ahead.shift();
        else range.read = readRange(cursor, range.upper);
        if (rows.length > 0) {
          readAhead();
          return rows;
        }
      }
      return [];
    };
    let next = read();
    let recording: Promise<unknown> = Promise.resolve();
    try {
      for (let batch = 1; !action.controller.signal.aborted; batch++) {
        const rows = await next;
        if (rows.length === 0) break;
        next = read();
        // A batch read ahead but not needed (cancelled, failed) must not end as an unhandled rejection.
        next.catch(() => undefined);
        const records = rows.map((row): ReplayRecord => ({ key: row.key, value: row.value, headers }));
        let failure: unknown = null;
        let acknowledged = records.length;
        try {
          await this.options.replay.send(topic, records);
        } catch (error) {
          failure = error;
          acknowledged = error instanceof ReplaySendError ? error.acknowledged : 0;
        }
        progress.done += acknowledged;
        // In batch order: the previous batch's record first (its failure stops the replay here).
        await recording;
        if (acknowledged > 0) {
          recording = this.query(
            `WITH recorded AS (INSERT INTO ${AUDIT_EVENTS_TABLE} (audit_id, batch, event_ids) VALUES ($1, $2, $3::text[]))
             UPDATE ${AUDIT_LOG_TABLE} SET changed = $4, heartbeat_at = clock_timestamp() WHERE id = $1`,
            [progress.actionId, batch, rows.slice(0, acknowledged).map((row) => row.id), progress.done],
          );
          recording.catch(() => undefined);
        }
        if (failure) {
          progress.failed += records.length - acknowledged;
          throw new Error(`${describeReplayFailure(failure, acknowledged, batch, rows, topic)}; ${progress.done} records were acknowledged before it`);
        }
        this.advance(action);
        await this.throttle(action, request.rowsPerSecond);
      }
    } catch (error) {
      // The failure that stopped the replay is the one to report; the record of the batch before
      // it ends first (the audit entry's final counts are written after, from the progress).
      await recording.catch(() => undefined);
      throw error;
    }
    await recording;
  }

  /**
   * How a replay reads a row's image: every column in the table's order, as Debezium's schemaless
   * JSON carries it, json and jsonb columns as JSON strings (Debezium sends their text). Built by
   * PostgreSQL as text, which the server splices into the envelope without parsing it. The
   * columns are read from the catalog when the replay starts, so a column added since is in.
   * (row_to_json of a subselect: ~9× cheaper than to_jsonb of the row with its payload replaced
   * by jsonb_set, which took ~25 µs a row and made reading, not Kafka, a replay's bottleneck.)
   */
  private async replayImageSql(): Promise<string> {
    const result = await this.query<{ name: string; json: boolean }>(
      `SELECT a.attname AS name, a.atttypid IN ('json'::regtype, 'jsonb'::regtype) AS json
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [this.options.table.quoted.table],
    );
    const columns = result.rows.map(({ name, json }) => {
      const column = `o.${pg.escapeIdentifier(name)}`;
      return json ? `${column}::text AS ${pg.escapeIdentifier(name)}` : column;
    });
    return `(SELECT row_to_json(r) FROM (SELECT ${columns.join(", ")}) r)::text`;
  }

  /**
   * Where a replay's reads end: the sequence of every `spacing`-th matched row and the plan's
   * bound, each read being one range (previous end, end]. A read then visits its own range's rows
   * only: without ends, each read's bitmap scan fetched and sorted every matched row after its
   * cursor (a 10,000-row replay visited 30,000 rows, a 1 M-row one ~250 M). Each read applies the
   * target's conditions again, LIMIT rows at a time: a row that stopped matching since is left out,
   * one that started to is in.
   */
  private async replayRanges(plan: Plan, batchRows: number): Promise<string[]> {
    const { table } = this.options;
    const c = prefixed(table);
    const { params, where } = this.replayRows(plan, plan.start, plan.bound!);
    const spacing = Math.max(batchRows, Math.ceil(plan.matched / REPLAY_MAX_RANGES));
    const result = await this.query<{ upper: string }>(
      `SELECT s::text AS upper FROM (
         SELECT ${c.sequence} AS s, row_number() OVER (ORDER BY ${c.sequence}) AS n FROM ${table.quoted.table} o WHERE ${where.join(" AND ")}
       ) x WHERE n % ${params.add(spacing)} = 0 ORDER BY s`,
      params.values,
    );
    const uppers = result.rows.map((row) => row.upper);
    if (uppers.at(-1) !== plan.bound) uppers.push(plan.bound!);
    return uppers;
  }

  /**
   * The next rows of a replay after `cursor` up to `upper` in sequence order, each with the key and
   * value of its record: the Debezium-style change event the pipeline carries for an insert of the row
   * (schemaless JSON, as the stack's JsonConverter with schemas.enable=false writes it; the image
   * from {@link replayImageSql}), and the key as Debezium builds it from the primary key (the event
   * id column). PostgreSQL builds both, and they reach the produce request as the bytes it sent
   * (binary-copy.ts); an envelope concatenated in JavaScript is a rope that V8 flattens, a copy per
   * record, before it can be measured (~10% of a replay's time here).
   *
   * Two statements: a query with the target's conditions as parameters picks the next rows'
   * sequences, then a COPY, which takes no parameters, builds the records of exactly those rows,
   * named by the sequences PostgreSQL returned. `complete` when no row of the range is left after
   * these. A row deleted in between is left out; the next read goes on from the last row read.
   */
  private async readReplayBatch(plan: Plan, image: string, cursor: string | null, upper: string, limit: number): Promise<ReplayBatchRead> {
    const { table } = this.options;
    const c = prefixed(table);
    const { params, where } = this.replayRows(plan, cursor, upper);
    const picked = await this.query<{ sequences: string; count: number }>(
      `SELECT coalesce(array_agg(n ORDER BY n), '{}')::text AS sequences, count(*)::int AS count
       FROM (SELECT ${c.sequence}::bigint AS n FROM ${table.quoted.table} o WHERE ${where.join(" AND ")} ORDER BY ${c.sequence} LIMIT ${params.add(limit)}) s`,
      params.values,
    );
    const { sequences, count } = picked.rows[0]!;
    if (count === 0) return { rows: [], complete: true, cursor };
    // The bigints PostgreSQL just returned, checked to be nothing else before they become SQL text.
    if (!/^\{-?\d+(,-?\d+)*\}$/.test(sequences)) throw new Error(`PostgreSQL returned sequences that are not a list of integers: ${sequences.slice(0, 80)}`);
    const now = Date.now();
    // What follows the row image is the same for the whole batch.
    const rest = `,"source":${this.replaySource(now)},"transaction":null,"op":"c","ts_ms":${now}}`;
    const keyField = pg.escapeLiteral(table.mapping.columns.eventId);
    // Rows up to the one whose key and value pass REPLAY_READ_MAX_BYTES (a running sum in sequence order).
    const copied = await copyBinaryRows(
      this.options.actionPool,
      `SELECT id, n::text AS seq, key, value FROM (
         SELECT b.*, sum(octet_length(key) + octet_length(value)) OVER (ORDER BY n ROWS UNBOUNDED PRECEDING) AS read
         FROM (
           SELECT ${c.eventId}::text AS id, ${c.sequence} AS n,
                  '{' || to_json(${keyField}::text)::text || ':' || to_json(${c.eventId}::text)::text || '}' AS key,
                  '{"before":null,"after":' || ${image} || ${pg.escapeLiteral(rest)}::text AS value
           FROM ${table.quoted.table} o WHERE ${c.sequence} = ANY('${sequences}'::bigint[]) ORDER BY ${c.sequence}
         ) b
       ) w WHERE read - octet_length(key) - octet_length(value) < ${REPLAY_READ_MAX_BYTES} ORDER BY n`,
    );
    const rows = copied.map(([id, , key, value]): ReplayRow => ({ id: id!.toString(), key: key!, value: value! }));
    // Only the last row's sequence is needed: where the next read of the range starts.
    const last = copied.at(-1)?.[1]?.toString();
    // The range goes on after the rows read: unless the pick reached its end, or the byte budget
    // (or a deletion) left some of the picked rows for the next read.
    const complete = last === upper || (count < limit && rows.length === count);
    return { rows, complete, cursor: last ?? cursor };
  }

  /** The conditions of a replay's rows after `lower` (from the start when null) up to `upper`, in sequence order. */
  private replayRows(plan: Plan, lower: string | null, upper: string): { params: Params; where: string[] } {
    const c = prefixed(this.options.table);
    const params = new Params();
    params.values.push(...plan.params.values);
    const where = [...plan.conditions, `${c.sequence} <= ${params.add(upper)}::bigint`];
    if (lower) where.push(`${c.sequence} > ${params.add(lower)}::bigint`);
    return { params, where };
  }

  private replaySource(now: number): string {
    const { name } = this.options.table;
    return JSON.stringify({ version: "outbox-lens", connector: "outbox-lens-replay", name: "outbox-lens", ts_ms: now, snapshot: "false", db: null, schema: name.schema, table: name.table, txId: null, lsn: null });
  }

  private async withLockRetries<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if ((error as { code?: string }).code !== "55P03" || attempt >= LOCK_RETRIES) throw error;
      }
    }
  }

  private async throttle(action: RunningAction, rowsPerSecond: number | undefined): Promise<void> {
    if (!rowsPerSecond) return;
    const progress = action.progress;
    const handled = progress.done + progress.skipped + progress.failed;
    const due = progress.startedAt + (handled * 1000) / rowsPerSecond - Date.now();
    if (due > 0) await delay(due, action.controller.signal);
  }

  private advance(action: RunningAction): void {
    const progress = action.progress;
    const elapsedSeconds = Math.max(0.001, (Date.now() - progress.startedAt) / 1000);
    progress.rate = Math.round(((progress.done + progress.skipped) / elapsedSeconds) * 10) / 10;
    const left = remaining(progress);
    progress.etaSeconds = progress.rate > 0 ? Math.round(left / progress.rate) : null;
    this.emit(action, false);
  }

  private emit(action: RunningAction, final: boolean): void {
    const send = () => {
      action.lastEmitAt = Date.now();
      action.emitTimer = null;
      for (const listener of action.listeners) listener({ ...action.progress });
    };
    if (final) {
      if (action.emitTimer) clearTimeout(action.emitTimer);
      send();
      return;
    }
    if (action.emitTimer) return;
    const wait = action.lastEmitAt + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) send();
    else action.emitTimer = setTimeout(send, wait);
  }

  private query<T extends QueryResultRow>(sql: string, values: unknown[]) {
    return this.options.actionPool.query<T>(sql, values);
  }
}

/** Why a replay batch was not (all) produced, naming the record when one was too large. */
function describeReplayFailure(error: unknown, acknowledged: number, batch: number, rows: readonly ReplayRow[], topic: ReplayTopic): string {
  if (error instanceof RecordTooLargeError) {
    return `the record of event ${rows[error.index]?.id} is ${error.bytes} bytes in its record batch, more than topic ${topic.name} accepts (max.message.bytes ${error.limit}); it and the rest of batch ${batch} were not produced`;
  }
  const cause = error instanceof ReplaySendError ? error.cause : error;
  return `Kafka did not acknowledge batch ${batch} (${rows.length - acknowledged} of its ${rows.length} records): ${describeError(cause)}`;
}

function remaining(progress: ActionProgress): number {
  return Math.max(0, progress.matched - progress.done - progress.skipped - progress.failed);
}

function targetOf(request: Request): Record<string, unknown> {
  if (request.eventIds) return { eventIds: request.eventIds };
  if (request.group) return { group: request.group };
  return { filter: request.filter ?? {} };
}

/** The same request from the same principal hashes the same; a different one with the same key is refused. */
function hashRequest(kind: ActionKind, request: Request, topic: string | null): string {
  const canonical = JSON.stringify({ kind, target: targetOf(request), topic, reason: request.reason ?? null, rowsPerSecond: request.rowsPerSecond ?? null });
  return createHash("sha256").update(canonical).digest("hex");
}

function progressOf(entry: StoredAuditEntry, kind: ActionKind): ActionProgress {
  const startedAt = Date.parse(entry.at);
  const finishedAt = entry.finishedAt ? Date.parse(entry.finishedAt) : null;
  const seconds = ((finishedAt ?? Date.now()) - startedAt) / 1000;
  return {
    actionId: entry.id,
    kind,
    state: entry.outcome,
    dryRun: entry.dryRun,
    matched: entry.matched ?? 0,
    done: entry.changed,
    skipped: entry.skipped,
    failed: entry.failed,
    rate: seconds > 0 ? Math.round((entry.changed / seconds) * 10) / 10 : 0,
    etaSeconds: null,
    startedAt,
    finishedAt,
    error: entry.error,
    duplicate: false,
    sample: [],
    topic: entry.topic,
  };
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
