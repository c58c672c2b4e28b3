"use client";

import Link from "next/link";
import { useState } from "react";
import { z } from "zod";
import { MESSAGES_REPRODUCE_API, type ReproduceRequest } from "@/lib/contracts/messages";
import { ApiError, postJson } from "@/components/api/json-request";
import { ALERT_CLASS, BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS, PRIMARY_BUTTON_CLASS, WRITE_BUTTON_CLASS } from "@/components/forms/field-styles";
import { newIdempotencyKey } from "@/components/outbox/idempotency-key";
import { useOutboxPermissions } from "@/components/outbox/use-outbox-permissions";
import type { MessageRef } from "../url-state";
import { useTopics } from "../topics-query";

const reproduceResponseSchema = z.object({
  auditId: z.number(),
  targetTopic: z.string(),
  duplicate: z.boolean(),
  outcome: z.string(),
});
type ReproduceAnswer = z.infer<typeof reproduceResponseSchema>;

/**
 * "Re-produce": one record produced again, byte for byte, to its topic or another the dashboard
 * may write, with a reason, for operators. One idempotency key per opened form: a double click or a
 * retried request produces once.
 */
export function ReproduceForm({ message }: { message: MessageRef }) {
  const { replay } = useOutboxPermissions();
  const topics = useTopics();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState(message.topic);
  const [reason, setReason] = useState("");
  const [key, setKey] = useState("");
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<ReproduceAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!replay) return null;

  if (!open) {
    return (
      <button
        type="button"
        data-testid="reproduce-open"
        className={WRITE_BUTTON_CLASS}
        onClick={() => {
          setOpen(true);
          setKey(newIdempotencyKey());
          setAnswer(null);
          setError(null);
        }}
      >
        Re-produce…
      </button>
    );
  }

  const submit = async () => {
    setSending(true);
    setError(null);
    const body: ReproduceRequest = { ...message, targetTopic: target, reason: reason.trim(), idempotencyKey: key };
    try {
      setAnswer((await postJson(MESSAGES_REPRODUCE_API, body, reproduceResponseSchema)).data);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setSending(false);
    }
  };

  const names = topics.data?.topics.map((topic) => topic.topic) ?? [message.topic];
  return (
    <form
      data-testid="reproduce-form"
      className="w-full space-y-2 rounded border border-line-strong bg-surface p-2"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="text-[11px] text-ink-muted">
        Produces this record again as it is (key, value and headers), with <code className="font-mono">x-replay-id</code>,{" "}
        <code className="font-mono">x-replayed-by</code> and <code className="font-mono">x-replay-reason</code> added. Recorded in the audit log.
      </p>
      <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,2fr)] gap-2">
        <label className={LABEL_CLASS}>
          To topic
          <select data-testid="reproduce-topic" className={INPUT_CLASS} value={target} onChange={(event) => setTarget(event.target.value)} disabled={answer !== null}>
            {(names.includes(message.topic) ? names : [message.topic, ...names]).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL_CLASS}>
          Reason (kept in the audit log)
          <input
            data-testid="reproduce-reason"
            className={INPUT_CLASS}
            value={reason}
            maxLength={500}
            required
            onChange={(event) => setReason(event.target.value)}
            disabled={answer !== null}
          />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {answer === null ? (
          <button type="submit" data-testid="reproduce-submit" className={PRIMARY_BUTTON_CLASS} disabled={sending || reason.trim() === ""}>
            {sending ? "Producing…" : "Produce"}
          </button>
        ) : null}
        <button type="button" className={BUTTON_CLASS} onClick={() => setOpen(false)}>
          {answer === null ? "Cancel" : "Close"}
        </button>
        {answer ? (
          <span role="status" data-testid="reproduce-result" data-audit-id={answer.auditId} className="text-xs text-up">
            {answer.duplicate ? "Already produced by this request" : `Produced to ${answer.targetTopic}`} ·{" "}
            <Link href="/audit" className="text-accent underline">
              audit entry {answer.auditId}
            </Link>
          </span>
        ) : null}
      </div>
      {error ? (
        <p role="alert" data-testid="reproduce-error" className={ALERT_CLASS}>
          {error}
        </p>
      ) : null}
    </form>
  );
}
