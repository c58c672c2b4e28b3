"use client";

import { useEffect, useRef, useState } from "react";
import type { ActionProgress } from "@/lib/contracts/outbox";
import { describeTarget } from "@/components/audit/describe-target";
import { ActionProgressView } from "./action-progress-view";
import { ActionReview } from "./action-review";
import { ACTION_LABELS, type ActionChoice } from "./action-target";
import { newIdempotencyKey } from "./idempotency-key";

/**
 * Retry or replay, for any target: dry run → reason and confirmation → progress. Mounted while it
 * is open, so each opening starts over with a new idempotency key; within one opening the key
 * never changes, so a double click or a repeated request cannot act twice. A native modal
 * <dialog>: focus stays inside and Escape closes it.
 */
export function ActionDialog({ choice, onClose }: { choice: ActionChoice; onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [started, setStarted] = useState<ActionProgress | null>(null);
  const labels = ACTION_LABELS[choice.kind];

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      data-testid="action-dialog"
      data-kind={choice.kind}
      aria-labelledby="action-dialog-title"
      onCancel={(event) => {
        // Escape: the parent unmounts the dialog, which is what closes it.
        event.preventDefault();
        onClose();
      }}
      className="m-auto max-h-[calc(100vh-4rem)] w-[min(48rem,calc(100vw-2rem))] overflow-y-auto rounded border border-line-strong bg-surface p-0 text-ink backdrop:bg-black/60"
    >
      <header className="flex items-start gap-3 border-b border-line px-4 py-2.5">
        <div className="min-w-0 space-y-0.5">
          <h2 id="action-dialog-title" className="text-sm font-semibold break-words text-ink">
            {labels.verb} <span className="font-mono text-[13px] font-normal">{describeTarget(choice.target)}</span>
          </h2>
          <p className="text-xs text-ink-muted">{labels.explanation}</p>
        </div>
        <button type="button" data-testid="action-close" aria-label="Close" onClick={onClose} className="ml-auto shrink-0 rounded px-1.5 text-ink-muted hover:bg-surface-raised hover:text-ink">
          ✕
        </button>
      </header>
      <div className="px-4 py-3">
        {started ? (
          <ActionProgressView initial={started} />
        ) : (
          <ActionReview choice={choice} idempotencyKey={idempotencyKey} onStarted={setStarted} onDismiss={onClose} />
        )}
      </div>
    </dialog>
  );
}
