import type { ActionProgress, ActionState } from "@/lib/contracts/outbox";

/**
 * Progress of one action arrives two ways, pushed (`action:progress`) and polled (GET, the
 * fallback), in any order. Counts only grow and a final state is final, so the newer of two
 * reports is the one further along; an older report arriving late never moves the view back.
 */

export function isFinished(state: ActionState): boolean {
  return state !== "running";
}

/** Rows the action has dealt with: acted on, skipped or failed. */
export function rowsHandled(progress: ActionProgress): number {
  return progress.done + progress.skipped + progress.failed;
}

/** The report to show after `incoming` arrives while `current` is shown. */
export function newerProgress(current: ActionProgress | undefined, incoming: ActionProgress): ActionProgress {
  if (current === undefined || current.actionId !== incoming.actionId) return incoming;
  const currentFinished = isFinished(current.state);
  const incomingFinished = isFinished(incoming.state);
  if (currentFinished !== incomingFinished) return currentFinished ? current : incoming;
  // Equal counts: the later report has the fresher rate and ETA.
  return rowsHandled(incoming) >= rowsHandled(current) ? incoming : current;
}

/** 0…1 for the progress bar. A finished action is full, whatever it matched. */
export function progressFraction(progress: ActionProgress): number {
  if (isFinished(progress.state)) return 1;
  if (progress.matched <= 0) return 0;
  return Math.min(1, rowsHandled(progress) / progress.matched);
}
