"use client";

import { useRef, type FormEvent } from "react";
import { MAX_FILTER_TEXT } from "@/lib/contracts/outbox";
import { isoToLocalInput } from "@/components/forms/datetime-local";
import { BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS } from "@/components/forms/field-styles";
import { searchParamsFromForm, type FilterFormValues, type IgnoredParam, type OutboxView } from "./url-state";

function TextFilter(props: { name: keyof FilterFormValues; label: string; defaultValue?: string; testId: string; placeholder?: string; mono?: boolean }) {
  return (
    <label className={LABEL_CLASS}>
      <span>{props.label}</span>
      <input
        name={props.name}
        data-testid={props.testId}
        defaultValue={props.defaultValue ?? ""}
        maxLength={MAX_FILTER_TEXT}
        placeholder={props.placeholder}
        className={`${INPUT_CLASS} ${props.mono ? "font-mono" : ""}`}
      />
    </label>
  );
}

/**
 * The rows filter. The form holds what is being typed; the URL holds what is shown, and changes
 * when the form is applied (Enter, Apply, or picking a status or an order). The parent remounts
 * the form (a `key`) when the URL changes another way, so the fields always start from the URL.
 */
export function OutboxFilterBar({ view, ignored, onApply }: { view: OutboxView; ignored: readonly IgnoredParam[]; onApply: (params: URLSearchParams) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const values: FilterFormValues = {};
    for (const [name, value] of data) if (typeof value === "string") values[name as keyof FilterFormValues] = value;
    onApply(searchParamsFromForm(values));
  };
  const applyNow = () => formRef.current?.requestSubmit();

  return (
    <form ref={formRef} onSubmit={submit} data-testid="outbox-filter" aria-label="Filter rows" className="space-y-2 rounded border border-line bg-surface px-3 py-2.5">
      <div className="grid grid-cols-2 gap-x-3 gap-y-2 sm:grid-cols-4 xl:grid-cols-8">
        <label className={LABEL_CLASS}>
          <span>Status</span>
          <select name="status" data-testid="filter-status" defaultValue={view.status ?? "all"} onChange={applyNow} className={INPUT_CLASS}>
            <option value="all">all</option>
            <option value="pending">pending</option>
            <option value="processed">processed</option>
            <option value="failed">failed</option>
          </select>
        </label>
        <TextFilter name="eventType" label="Event type" defaultValue={view.eventType} testId="filter-event-type" mono />
        <TextFilter name="aggregateType" label="Aggregate type" defaultValue={view.aggregateType} testId="filter-aggregate-type" mono />
        <TextFilter name="aggregateId" label="Aggregate id" defaultValue={view.aggregateId} testId="filter-aggregate-id" mono />
        <label className={LABEL_CLASS}>
          <span>Created from (local)</span>
          <input name="createdFrom" type="datetime-local" step={1} data-testid="filter-created-from" defaultValue={isoToLocalInput(view.createdFrom)} className={INPUT_CLASS} />
        </label>
        <label className={LABEL_CLASS}>
          <span>Created before (local)</span>
          <input name="createdTo" type="datetime-local" step={1} data-testid="filter-created-to" defaultValue={isoToLocalInput(view.createdTo)} className={INPUT_CLASS} />
        </label>
        <TextFilter name="error" label="Error contains" defaultValue={view.error} testId="filter-error" placeholder="e.g. timeout" />
        <div className="grid grid-cols-2 gap-1.5">
          <label className={LABEL_CLASS}>
            <span>Retries ≥</span>
            <input name="retryCountMin" type="number" min={0} step={1} inputMode="numeric" data-testid="filter-retry-min" defaultValue={view.retryCountMin ?? ""} className={INPUT_CLASS} />
          </label>
          <label className={LABEL_CLASS}>
            <span>Retries ≤</span>
            <input name="retryCountMax" type="number" min={0} step={1} inputMode="numeric" data-testid="filter-retry-max" defaultValue={view.retryCountMax ?? ""} className={INPUT_CLASS} />
          </label>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <label className={`${LABEL_CLASS} w-32`}>
          <span>Order</span>
          <select name="order" data-testid="filter-order" defaultValue={view.order} onChange={applyNow} className={INPUT_CLASS}>
            <option value="newest">newest first</option>
            <option value="oldest">oldest first</option>
          </select>
        </label>
        <button type="submit" data-testid="filter-apply" className={BUTTON_CLASS}>
          Apply
        </button>
        <button type="button" data-testid="filter-clear" onClick={() => onApply(new URLSearchParams())} className={BUTTON_CLASS}>
          Clear
        </button>
        {ignored.length > 0 ? (
          <p data-testid="filter-ignored" className="text-xs text-pending">
            Left out of this link: {ignored.map((entry) => `${entry.param} (${entry.message})`).join("; ")}
          </p>
        ) : null}
      </div>
    </form>
  );
}
