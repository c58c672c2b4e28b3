"use client";

import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActionProgress } from "@/lib/contracts/outbox";
import { formatCount, formatLatency, formatRate } from "@/lib/format/numbers";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { OutcomeBadge } from "@/components/audit/outcome-badge";
import { ALERT_CLASS, BUTTON_CLASS } from "@/components/forms/field-styles";
import { Stat } from "@/components/overview/stat";
import { cancelAction } from "./action-request";
import { isFinished, newerProgress, progressFraction } from "./action-progress";
import { ACTION_LABELS } from "./action-target";
import { outboxKeys } from "./outbox-keys";
import { useActionProgress } from "./use-action-progress";

const OUTCOME_TEXT = {
  succeeded: "Finished.",
  cancelled: "Cancelled: rows already handled stay as they are.",
  failed: "Stopped with an error.",
} as const;

/**
 * Step three: the action's progress, live, until it ends; then its outcome and where it is recorded.
 * Cancel stops it between batches; closing the dialog does not.
 */
export function ActionProgressView({ initial }: { initial: ActionProgress }) {
  const queryClient = useQueryClient();
  const progress = useActionProgress(initial);
  const cancel = useMutation({
    mutationFn: () => cancelAction(progress.actionId),
    onSuccess: (answer) => {
      if (answer) queryClient.setQueryData<ActionProgress>(outboxKeys.action(answer.actionId), (current) => newerProgress(current, answer));
    },
  });
  const running = !isFinished(progress.state);
  const percent = Math.round(progressFraction(progress) * 100);
  const labels = ACTION_LABELS[progress.kind];

  return (
    <div data-testid="action-progress" data-state={progress.state} data-action-id={progress.actionId} className="space-y-3">
      {progress.duplicate ? (
        <p data-testid="action-duplicate" className="text-xs text-pending">
          This request was already made: this is the earlier action, nothing new was done.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <OutcomeBadge outcome={progress.state} testId="action-state" />
        <span className="text-ink-muted">
          {labels.verb} #{progress.actionId}
          {progress.topic ? (
            <>
              {" "}
              to <code className="font-mono text-ink">{progress.topic}</code>
            </>
          ) : null}{" "}
          · started {formatUtcTimestamp(progress.startedAt)}
          {progress.finishedAt !== null ? ` · finished ${formatUtcTimestamp(progress.finishedAt)}` : null}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`${labels.verb} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 overflow-hidden rounded-sm bg-surface-raised"
      >
        <div
          className={`h-full transition-[width] duration-300 ${progress.state === "failed" ? "bg-down" : progress.state === "cancelled" ? "bg-pending" : running ? "bg-accent" : "bg-up"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <dl className="grid grid-cols-3 gap-x-4 gap-y-2 sm:grid-cols-6">
        <Stat label="Matched" testId="action-matched" value={progress.matched}>
          {formatCount(progress.matched)}
        </Stat>
        <Stat label={progress.kind === "retry" ? "Back to pending" : "Acknowledged"} testId="action-done" value={progress.done}>
          {formatCount(progress.done)}
        </Stat>
        <Stat label="Skipped" testId="action-skipped" value={progress.skipped} title="Rows that changed meanwhile and were left untouched">
          {formatCount(progress.skipped)}
        </Stat>
        <Stat label="Failed" testId="action-failed" value={progress.failed} tone={progress.failed > 0 ? "text-down" : undefined}>
          {formatCount(progress.failed)}
        </Stat>
        <Stat label="Rate" testId="action-rate-now" value={progress.rate}>
          {formatRate(progress.rate)}
        </Stat>
        <Stat label="ETA" testId="action-eta" value={progress.etaSeconds}>
          {running ? formatLatency(progress.etaSeconds === null ? null : progress.etaSeconds * 1000) : "—"}
        </Stat>
      </dl>
      {!running ? (
        <p data-testid="action-outcome" data-outcome={progress.state} className="text-xs text-ink">
          {OUTCOME_TEXT[progress.state as keyof typeof OUTCOME_TEXT]}
        </p>
      ) : null}
      {progress.error ? (
        <p role="alert" data-testid="action-outcome-error" className={ALERT_CLASS}>
          {progress.error}
        </p>
      ) : null}
      {cancel.isError ? (
        <p role="alert" data-testid="action-error" className={ALERT_CLASS}>
          {cancel.error.message}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-line pt-3 text-xs">
        <Link href={`/audit?action=${encodeURIComponent(`outbox:${progress.kind}`)}`} data-testid="action-audit-link" className="text-accent hover:underline">
          Audit log
        </Link>
        {running ? (
          <span className="flex items-center gap-2">
            <span className="text-ink-faint">Closing this dialog does not stop the action.</span>
            <button type="button" data-testid="action-cancel" disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate()} className={`${BUTTON_CLASS} border-down/60 text-down`}>
              {cancel.isPending || cancel.isSuccess ? "Cancelling…" : "Cancel action"}
            </button>
          </span>
        ) : null}
      </div>
    </div>
  );
}
