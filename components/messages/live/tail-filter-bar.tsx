"use client";

import { memo, useRef, useState, type FormEvent } from "react";
import { MAX_MESSAGE_FILTER_TEXT, tailFilterSchema, type MessageOp, type TailFilter } from "@/lib/contracts/message-filter";
import { describeZodError } from "@/lib/errors/zod";
import { BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS } from "@/components/forms/field-styles";
import { OpChips } from "../op-chips";

const TEXT_FIELDS = [
  { name: "eventType", label: "Event type", testId: "tail-filter-event-type", placeholder: "exact, e.g. OrderPlaced" },
  { name: "aggregateType", label: "Aggregate type", testId: "tail-filter-aggregate-type", placeholder: "exact" },
  { name: "aggregateId", label: "Aggregate id", testId: "tail-filter-aggregate-id", placeholder: "exact" },
  { name: "text", label: "Text anywhere", testId: "tail-filter-text", placeholder: "key, value or header" },
] as const;

/**
 * The live tail's quick filters, applied on the server (a rare event among thousands a second is
 * not lost to sampling). Typing is local; Enter or Apply sends it; an op chip applies at once. The
 * parent remounts the bar when the URL's filter changes, so the fields start from what is applied.
 */
function TailFilterBarView({ filter, onApply }: { filter: TailFilter; onApply: (filter: TailFilter) => void }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [ops, setOps] = useState<readonly MessageOp[]>(filter.op ?? []);
  const [error, setError] = useState<string | null>(null);

  const apply = (nextOps: readonly MessageOp[]) => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    const candidate: Record<string, unknown> = {};
    for (const field of TEXT_FIELDS) {
      const value = String(data.get(field.name) ?? "").trim();
      if (value !== "") candidate[field.name] = value;
    }
    const partition = String(data.get("partition") ?? "").trim();
    if (partition !== "") candidate.partition = partition;
    if (nextOps.length > 0) candidate.op = [...nextOps];
    const parsed = tailFilterSchema.safeParse(candidate);
    if (!parsed.success) {
      setError(describeZodError(parsed.error));
      return;
    }
    setError(null);
    onApply(parsed.data);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(ops);
  };

  return (
    <form ref={formRef} onSubmit={submit} aria-label="Live tail filters" data-testid="tail-filter" className="space-y-2 rounded border border-line bg-surface px-3 py-2.5">
      <div className="flex flex-wrap items-end gap-x-3 gap-y-2">
        <div className={`${LABEL_CLASS} shrink-0`}>
          <span>Op</span>
          <OpChips
            testId="tail-filter-op"
            selected={ops}
            onChange={(next) => {
              setOps(next);
              apply(next);
            }}
          />
        </div>
        {TEXT_FIELDS.map((field) => (
          <label key={field.name} className={`${LABEL_CLASS} min-w-36 flex-1 basis-36`}>
            <span>{field.label}</span>
            <input
              name={field.name}
              data-testid={field.testId}
              defaultValue={filter[field.name] ?? ""}
              maxLength={MAX_MESSAGE_FILTER_TEXT}
              placeholder={field.placeholder}
              className={`${INPUT_CLASS} font-mono`}
            />
          </label>
        ))}
        <label className={`${LABEL_CLASS} w-20`}>
          <span>Partition</span>
          <input name="partition" type="number" min={0} step={1} inputMode="numeric" data-testid="tail-filter-partition" defaultValue={filter.partition ?? ""} placeholder="all" className={INPUT_CLASS} />
        </label>
        <div className="flex items-end gap-1.5">
          <button type="submit" data-testid="tail-filter-apply" className={BUTTON_CLASS}>
            Apply
          </button>
          <button type="button" data-testid="tail-filter-clear" onClick={() => onApply({})} className={BUTTON_CLASS}>
            Clear
          </button>
        </div>
      </div>
      {error ? (
        <p role="alert" data-testid="tail-filter-error" className="text-xs text-down">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** Memoized: the live list re-renders on every flush, its filter bar only when the filter changes. */
export const TailFilterBar = memo(TailFilterBarView);
