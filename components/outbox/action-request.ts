import { z } from "zod";
import {
  OUTBOX_API,
  actionProgressSchema,
  confirmationRequiredSchema,
  type ActionKind,
  type ActionProgress,
  type replayRequestSchema,
} from "@/lib/contracts/outbox";
import { ApiError, getJson, postJson } from "@/components/api/json-request";
import type { ActionTarget } from "./action-target";

/**
 * The requests of the retry and replay actions: a dry run (count and sample), the action itself,
 * its state, and cancelling it. Every answer is the contract's ActionProgress.
 */

/** The replay body is the retry body plus `topic`, so it types both. */
type ActionRequestBody = z.input<typeof replayRequestSchema>;

export function actionPath(kind: ActionKind): string {
  return kind === "retry" ? OUTBOX_API.retry : OUTBOX_API.replay;
}

/** POST with dryRun: how many rows the target matches now, and a few of them. Nothing changes. */
export async function dryRunAction(kind: ActionKind, target: ActionTarget): Promise<ActionProgress> {
  const body: ActionRequestBody = { ...target, dryRun: true };
  return (await postJson(actionPath(kind), body, actionProgressSchema)).data;
}

export interface ActionOptions {
  reason: string;
  idempotencyKey: string;
  /** The count the operator typed, for actions above CONFIRM_THRESHOLD_ROWS. */
  confirmCount?: number;
  rowsPerSecond?: number;
  /** Replay only; undefined is the outbox topic. */
  topic?: string;
}

/** 409: the matched count is not the one typed (it changed, or none was typed); `matched` is the count to type now. */
export class ConfirmationRequiredError extends Error {
  readonly matched: number;

  constructor(message: string, matched: number) {
    super(message);
    this.name = "ConfirmationRequiredError";
    this.matched = matched;
  }
}

/** POST the action. 200 answers a finished action, 202 one still running; both are its progress. */
export async function startAction(kind: ActionKind, target: ActionTarget, options: ActionOptions): Promise<ActionProgress> {
  const body: ActionRequestBody = {
    ...target,
    reason: options.reason,
    idempotencyKey: options.idempotencyKey,
    confirmCount: options.confirmCount,
    rowsPerSecond: options.rowsPerSecond,
    topic: kind === "replay" ? options.topic : undefined,
  };
  try {
    return (await postJson(actionPath(kind), body, actionProgressSchema)).data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      const conflict = confirmationRequiredSchema.safeParse(error.body);
      if (conflict.success) throw new ConfirmationRequiredError(conflict.data.error, conflict.data.matched);
    }
    throw error;
  }
}

/** GET /api/outbox/actions/<id>. */
export async function fetchActionProgress(actionId: number, signal?: AbortSignal): Promise<ActionProgress> {
  return getJson(OUTBOX_API.action(actionId), actionProgressSchema, signal);
}

/**
 * POST /api/outbox/actions/<id>/cancel with `{}` (mutations are JSON). The contract does not name
 * the answer's shape: when it is the action's progress it is returned, otherwise null and the
 * next progress update shows the cancellation.
 */
export async function cancelAction(actionId: number): Promise<ActionProgress | null> {
  const { data } = await postJson(OUTBOX_API.cancel(actionId), {}, z.unknown());
  const progress = actionProgressSchema.safeParse(data);
  return progress.success ? progress.data : null;
}
