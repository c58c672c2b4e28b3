"use client";

import { useQuery } from "@tanstack/react-query";
import type { ActionProgress } from "@/lib/contracts/outbox";
import { formatCount } from "@/lib/format/numbers";
import { ALERT_CLASS, BUTTON_CLASS } from "@/components/forms/field-styles";
import { ActionForm } from "./action-form";
import { dryRunAction } from "./action-request";
import { type ActionChoice } from "./action-target";
import { DryRunSample } from "./dry-run-sample";
import { outboxKeys } from "./outbox-keys";

/**
 * Step one of an action: a dry run says how many rows the target matches now and shows a few; then
 * the form. The dry run is asked once per dialog (the server audits it): it is never refreshed in
 * the background, only when the operator asks to count again.
 */
export function ActionReview(props: { choice: ActionChoice; idempotencyKey: string; onStarted: (progress: ActionProgress) => void; onDismiss: () => void }) {
  const { kind, target } = props.choice;
  const dryRun = useQuery({
    queryKey: outboxKeys.dryRun(kind, props.idempotencyKey),
    queryFn: () => dryRunAction(kind, target),
    staleTime: Infinity,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  if (dryRun.isPending) {
    return (
      <p data-testid="dry-run-pending" className="text-xs text-ink-muted" aria-busy>
        Counting the rows this would touch…
      </p>
    );
  }
  if (dryRun.isError) {
    return (
      <div className="space-y-2">
        <p role="alert" data-testid="action-error" className={ALERT_CLASS}>
          {dryRun.error.message}
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" onClick={props.onDismiss} className={BUTTON_CLASS}>
            Close
          </button>
          <button type="button" data-testid="dry-run-again" onClick={() => void dryRun.refetch()} className={BUTTON_CLASS}>
            Count again
          </button>
        </div>
      </div>
    );
  }

  const { matched, sample } = dryRun.data;
  return (
    <div className="space-y-3">
      <p className="text-sm">
        <span data-testid="dry-run-matched" data-count={matched} className="tabular font-semibold text-ink">
          {formatCount(matched)}
        </span>{" "}
        <span className="text-ink-muted">row{matched === 1 ? "" : "s"} match now (dry run: nothing changed).</span>
      </p>
      <DryRunSample rows={sample} matched={matched} />
      {matched === 0 ? (
        <div className="flex items-center justify-between gap-2 border-t border-line pt-3">
          <p data-testid="action-nothing" className="text-xs text-ink-muted">
            Nothing matches; nothing to do.
          </p>
          <button type="button" data-testid="action-dismiss" onClick={props.onDismiss} className={BUTTON_CLASS}>
            Close
          </button>
        </div>
      ) : (
        <ActionForm choice={props.choice} matched={matched} idempotencyKey={props.idempotencyKey} onStarted={props.onStarted} onDismiss={props.onDismiss} />
      )}
    </div>
  );
}
