"use client";

import { useRef, type FormEvent } from "react";
import { AUDIT_ACTIONS } from "@/lib/contracts/audit";
import { isoToLocalInput } from "@/components/forms/datetime-local";
import { BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS } from "@/components/forms/field-styles";
import type { IgnoredParam } from "@/components/outbox/url-state";
import { searchParamsFromAuditForm, type AuditFormValues, type AuditView } from "./audit-url-state";

/** The audit filter: applied on Enter, Apply, or picking an action; the parent remounts it when the URL changes. */
export function AuditFilterBar({ view, ignored, onApply }: { view: AuditView; ignored: readonly IgnoredParam[]; onApply: (params: URLSearchParams) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values: AuditFormValues = {};
    for (const [name, value] of new FormData(event.currentTarget)) if (typeof value === "string") values[name as keyof AuditFormValues] = value;
    onApply(searchParamsFromAuditForm(values));
  };

  return (
    <form ref={formRef} onSubmit={submit} data-testid="audit-filter" aria-label="Filter audit entries" className="flex flex-wrap items-end gap-x-3 gap-y-2 rounded border border-line bg-surface px-3 py-2.5">
      <label className={`${LABEL_CLASS} w-40`}>
        <span>Actor</span>
        <input name="actor" data-testid="audit-filter-actor" defaultValue={view.actor ?? ""} maxLength={200} className={INPUT_CLASS} />
      </label>
      <label className={`${LABEL_CLASS} w-44`}>
        <span>Action</span>
        <select name="action" data-testid="audit-filter-action" defaultValue={view.action ?? "all"} onChange={() => formRef.current?.requestSubmit()} className={INPUT_CLASS}>
          <option value="all">all</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </label>
      <label className={`${LABEL_CLASS} w-72`}>
        <span>Event id</span>
        <input name="eventId" data-testid="audit-filter-event-id" defaultValue={view.eventId ?? ""} placeholder="a UUID" className={`${INPUT_CLASS} font-mono`} />
      </label>
      <label className={`${LABEL_CLASS} w-48`}>
        <span>From (local)</span>
        <input name="from" type="datetime-local" step={1} data-testid="audit-filter-from" defaultValue={isoToLocalInput(view.from)} className={INPUT_CLASS} />
      </label>
      <label className={`${LABEL_CLASS} w-48`}>
        <span>Before (local)</span>
        <input name="to" type="datetime-local" step={1} data-testid="audit-filter-to" defaultValue={isoToLocalInput(view.to)} className={INPUT_CLASS} />
      </label>
      <button type="submit" data-testid="audit-filter-apply" className={BUTTON_CLASS}>
        Apply
      </button>
      <button type="button" data-testid="audit-filter-clear" onClick={() => onApply(new URLSearchParams())} className={BUTTON_CLASS}>
        Clear
      </button>
      {ignored.length > 0 ? (
        <p data-testid="audit-filter-ignored" className="basis-full text-xs text-pending">
          Left out of this link: {ignored.map((entry) => `${entry.param} (${entry.message})`).join("; ")}
        </p>
      ) : null}
    </form>
  );
}
