"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CONFIRM_THRESHOLD_ROWS, MAX_RATE_LIMIT_ROWS_PER_SECOND, MAX_REASON_LENGTH, type ActionProgress } from "@/lib/contracts/outbox";
import { formatCount } from "@/lib/format/numbers";
import { ALERT_CLASS, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS, PRIMARY_BUTTON_CLASS } from "@/components/forms/field-styles";
import { useTopics } from "@/components/messages/topics-query";
import { ConfirmationRequiredError, startAction, type ActionOptions } from "./action-request";
import { ACTION_LABELS, type ActionChoice } from "./action-target";

/**
 * Where a replay goes: the outbox topic (the default, sent as no topic) or one of the replay
 * topics the server may write (REPLAY_TOPICS), the same list the Messages page reads.
 */
function ReplayTopicSelect({ topic, onChange }: { topic: string; onChange: (topic: string) => void }) {
  const topics = useTopics().data?.topics ?? [];
  const outbox = topics.find((info) => info.outbox)?.topic;
  const others = topics.filter((info) => !info.outbox);
  return (
    <select
      data-testid="action-topic"
      value={topic}
      onChange={(event) => onChange(event.target.value)}
      disabled={others.length === 0}
      title={others.length === 0 ? "No replay topic is configured (REPLAY_TOPICS): a replay goes to the outbox topic" : undefined}
      className={`${INPUT_CLASS} font-mono`}
    >
      <option value="">{outbox ? `${outbox} (outbox)` : "the outbox topic"}</option>
      {others.map((info) => (
        <option key={info.topic} value={info.topic}>
          {info.topic}
        </option>
      ))}
    </select>
  );
}

/** What the operator typed as the count: digits, with the separators the page shows allowed. */
function typedCount(text: string): number | null {
  const digits = text.replace(/[\s,]/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/**
 * Step two of an action: why (required, it goes to the audit log), where to (replay: a topic other
 * than the outbox topic), how fast, and, for large actions, the typed count. The idempotency key
 * is the dialog's: submitting twice, or again after a network error, can never act twice.
 * A 409 means the count changed since the dry run: the new count is the one to type.
 */
export function ActionForm(props: { choice: ActionChoice; matched: number; idempotencyKey: string; onStarted: (progress: ActionProgress) => void; onDismiss: () => void }) {
  const { kind, target } = props.choice;
  const labels = ACTION_LABELS[kind];
  const [reason, setReason] = useState("");
  const [topic, setTopic] = useState("");
  const [rate, setRate] = useState("");
  const [confirmText, setConfirmText] = useState("");
  /** The count the server last asked for (409), when it is not the dry run's. */
  const [changedCount, setChangedCount] = useState<number | null>(null);

  const start = useMutation({
    mutationFn: (options: ActionOptions) => startAction(kind, target, options),
    onSuccess: props.onStarted,
    onError: (error) => {
      if (error instanceof ConfirmationRequiredError) {
        setChangedCount(error.matched);
        setConfirmText("");
      }
    },
  });

  const countToType = changedCount ?? props.matched;
  const needsConfirm = changedCount !== null || props.matched > CONFIRM_THRESHOLD_ROWS;
  const confirmed = !needsConfirm || typedCount(confirmText) === countToType;
  const canSubmit = reason.trim() !== "" && confirmed && countToType > 0 && !start.isPending;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!canSubmit) return;
    start.mutate({
      reason: reason.trim(),
      idempotencyKey: props.idempotencyKey,
      confirmCount: needsConfirm ? (typedCount(confirmText) ?? undefined) : undefined,
      rowsPerSecond: rate.trim() === "" ? undefined : Number(rate),
      topic: topic === "" ? undefined : topic,
    });
  };

  return (
    <form onSubmit={submit} className="space-y-3" noValidate>
      <label className={LABEL_CLASS}>
        <span>Reason (kept in the audit log)</span>
        <textarea
          data-testid="action-reason"
          required
          rows={2}
          maxLength={MAX_REASON_LENGTH}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="e.g. downstream outage fixed, INC-1234"
          className={INPUT_CLASS}
        />
      </label>
      <div className="grid gap-3 sm:grid-cols-2">
        {kind === "replay" ? (
          <label className={LABEL_CLASS}>
            <span>To topic</span>
            <ReplayTopicSelect topic={topic} onChange={setTopic} />
          </label>
        ) : null}
        <label className={LABEL_CLASS}>
          <span>Rate limit, rows per second (optional)</span>
          <input
            data-testid="action-rate"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_RATE_LIMIT_ROWS_PER_SECOND}
            step={1}
            value={rate}
            onChange={(event) => setRate(event.target.value)}
            placeholder="unlimited"
            className={INPUT_CLASS}
          />
        </label>
      </div>
      {changedCount !== null ? (
        <p data-testid="action-count-changed" data-count={changedCount} className="text-xs text-pending">
          The count changed since the dry run: {formatCount(changedCount)} rows match now.
        </p>
      ) : null}
      {needsConfirm && countToType > 0 ? (
        <label className={LABEL_CLASS}>
          <span>
            This touches <span className="tabular font-medium text-ink">{formatCount(countToType)}</span> rows. Type{" "}
            <code className="font-mono text-ink">{countToType}</code> to confirm.
          </span>
          <input
            data-testid="confirm-count-input"
            inputMode="numeric"
            autoComplete="off"
            value={confirmText}
            onChange={(event) => setConfirmText(event.target.value)}
            aria-invalid={confirmText !== "" && !confirmed}
            className={`${INPUT_CLASS} tabular w-40`}
          />
        </label>
      ) : null}
      {countToType === 0 ? (
        <p data-testid="action-nothing" className="text-xs text-ink-muted">
          Nothing matches; nothing to do.
        </p>
      ) : null}
      {start.isError ? (
        <p role="alert" data-testid="action-error" className={ALERT_CLASS}>
          {start.error.message}
        </p>
      ) : null}
      <div className="flex items-center justify-end gap-2 border-t border-line pt-3">
        <button type="button" data-testid="action-dismiss" onClick={props.onDismiss} className={BUTTON_CLASS}>
          Close
        </button>
        <button type="submit" data-testid="action-submit" disabled={!canSubmit} className={PRIMARY_BUTTON_CLASS}>
          {start.isPending ? `${labels.running}…` : `${labels.verb} ${formatCount(countToType)} row${countToType === 1 ? "" : "s"}`}
        </button>
      </div>
    </form>
  );
}
