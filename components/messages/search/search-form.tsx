"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { SEARCH_MAX_RESULTS, SEARCH_MAX_SCANNED, SEARCH_MAX_TIMEOUT_MS, searchRequestSchema, type TopicInfo } from "@/lib/contracts/messages";
import { MAX_MESSAGE_FILTER_TEXT, type MessageFilter, type MessageOp } from "@/lib/contracts/message-filter";
import { describeZodError } from "@/lib/errors/zod";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { isoToLocalInput, localInputToIso } from "@/components/forms/datetime-local";
import { BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS, PRIMARY_BUTTON_CLASS } from "@/components/forms/field-styles";
import { OpChips } from "../op-chips";
import type { SearchView } from "../url-state";

type FromKind = "beginning" | "endMinus" | "time" | "offset" | "positions";

interface FormState {
  topic: string;
  partitions: string;
  fromKind: FromKind;
  fromCount: string;
  fromTime: string;
  fromOffset: string;
  toKind: "end" | "time";
  toTime: string;
  ops: MessageOp[];
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  key: string;
  headerName: string;
  headerValue: string;
  path: string;
  match: "equals" | "contains" | "exists";
  value: string;
  text: string;
  maxScanned: string;
  maxResults: string;
  timeoutSeconds: string;
}

function initialState(view: SearchView, topic: string): FormState {
  const from = view.from;
  const fromKind: FromKind = from === "beginning" ? "beginning" : from.startsWith("end-") ? "endMinus" : from.startsWith("@") ? "positions" : /^\d+$/.test(from) ? "offset" : "time";
  const { filter } = view;
  return {
    topic,
    partitions: view.partitions?.join(", ") ?? "",
    fromKind,
    fromCount: fromKind === "endMinus" ? from.slice(4) : "10000",
    fromTime: fromKind === "time" ? isoToLocalInput(from) : "",
    fromOffset: fromKind === "offset" ? from : "",
    toKind: view.to === "end" ? "end" : "time",
    toTime: view.to === "end" ? "" : isoToLocalInput(view.to),
    ops: filter.op ?? [],
    eventType: filter.eventType ?? "",
    aggregateType: filter.aggregateType ?? "",
    aggregateId: filter.aggregateId ?? "",
    key: filter.key ?? "",
    headerName: filter.header?.name ?? "",
    headerValue: filter.header?.value ?? "",
    path: filter.path?.path ?? "",
    match: filter.path?.match ?? "equals",
    value: filter.path?.value ?? "",
    text: filter.text ?? "",
    maxScanned: String(view.maxScanned),
    maxResults: String(view.maxResults),
    timeoutSeconds: String(view.timeoutMs / 1_000),
  };
}

/** The search a form describes, checked with the request's own schema; or what is wrong, named. */
export function searchViewOfForm(form: FormState, current: SearchView, defaultTopic: string | null): Omit<SearchView, "searchId"> | { error: string } {
  const partitionText = form.partitions.trim();
  let partitions: number[] | undefined;
  if (partitionText !== "") {
    const parts = partitionText.split(/[\s,]+/).filter(Boolean);
    if (!parts.every((part) => /^\d{1,6}$/.test(part))) return { error: "Partitions: list partition numbers, like 0, 2, 5 (empty: all)" };
    partitions = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  }
  let from: string;
  switch (form.fromKind) {
    case "beginning":
      from = "beginning";
      break;
    case "endMinus":
      if (!/^\d{1,9}$/.test(form.fromCount.trim())) return { error: "From: N before the end must be a whole number ≥ 0" };
      from = `end-${Number(form.fromCount)}`;
      break;
    case "time": {
      const iso = localInputToIso(form.fromTime);
      if (!iso) return { error: "From: pick a date and time" };
      from = iso;
      break;
    }
    case "offset":
      if (!/^\d{1,19}$/.test(form.fromOffset.trim())) return { error: "From: the offset must be a whole number ≥ 0" };
      if (partitions?.length !== 1) return { error: "From: an offset needs exactly one partition (set Partitions)" };
      from = String(BigInt(form.fromOffset.trim()));
      break;
    case "positions":
      from = current.from;
      break;
  }
  let to = "end";
  if (form.toKind === "time") {
    const iso = localInputToIso(form.toTime);
    if (!iso) return { error: "To: pick a date and time" };
    to = iso;
  }

  const filter: MessageFilter = {};
  if (form.ops.length > 0) filter.op = form.ops;
  for (const field of ["eventType", "aggregateType", "aggregateId", "key", "text"] as const) {
    const value = form[field].trim();
    if (value !== "") filter[field] = value;
  }
  const headerName = form.headerName.trim();
  const headerValue = form.headerValue.trim();
  if (headerName !== "" || headerValue !== "") {
    if (headerName === "" || headerValue === "") return { error: "Header: give both a name and a value" };
    filter.header = { name: headerName, value: headerValue };
  }
  const path = form.path.trim();
  if (path !== "") {
    const value = form.value.trim();
    filter.path = form.match === "exists" ? { path, match: "exists" } : { path, match: form.match, value };
  } else if (form.value.trim() !== "") {
    return { error: "JSON path: a value needs a path (e.g. payload.customer.id)" };
  }

  const topic = form.topic === "" || form.topic === defaultTopic ? undefined : form.topic;
  const candidate = {
    topic,
    partitions,
    from,
    to,
    filter,
    maxScanned: Number(form.maxScanned),
    maxResults: Number(form.maxResults),
    timeoutMs: Math.round(Number(form.timeoutSeconds) * 1_000),
  };
  const parsed = searchRequestSchema.safeParse(candidate);
  if (!parsed.success) return { error: describeZodError(parsed.error) };
  const view: Omit<SearchView, "searchId"> = { from, to, filter: parsed.data.filter, maxScanned: parsed.data.maxScanned, maxResults: parsed.data.maxResults, timeoutMs: parsed.data.timeoutMs };
  if (topic !== undefined) view.topic = topic;
  if (partitions !== undefined) view.partitions = partitions;
  return view;
}

/** Filter fields grow to fill a row and wrap below this width. */
const FILTER_FIELD = "min-w-40 flex-1 basis-40";

function Field({ label, children, className = FILTER_FIELD, hint }: { label: string; children: ReactNode; className?: string; hint?: ReactNode }) {
  return (
    <label className={`${LABEL_CLASS} ${className}`}>
      <span>{label}</span>
      {children}
      {hint ? <span className="block text-[10px] text-ink-faint">{hint}</span> : null}
    </label>
  );
}

/**
 * The search: where (topic, partitions, from → to), what (filters, all narrowing) and how far
 * (records scanned, matches kept, time). Start sends it; the URL then holds it and the search's id.
 */
export function SearchForm(props: {
  view: SearchView;
  topics: readonly TopicInfo[] | undefined;
  defaultTopic: string | null;
  running: boolean;
  starting: boolean;
  startError: string | null;
  onStart: (view: Omit<SearchView, "searchId">) => void;
  /** Closes the form back to the search's summary, when a search is shown. */
  onClose: (() => void) | null;
}) {
  const { view, topics, defaultTopic } = props;
  const [form, setForm] = useState<FormState>(() => initialState(view, view.topic ?? defaultTopic ?? ""));
  const [error, setError] = useState<string | null>(null);
  const set = (fields: Partial<FormState>) => setForm((current) => ({ ...current, ...fields }));
  const text = (name: keyof FormState) => ({
    value: form[name] as string,
    onChange: (event: { target: { value: string } }) => set({ [name]: event.target.value } as Partial<FormState>),
  });
  const topic = topics?.find((info) => info.topic === form.topic);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = searchViewOfForm(form, view, defaultTopic);
    if ("error" in result) {
      setError(result.error);
      return;
    }
    setError(null);
    props.onStart(result);
  };
  const fromIso = form.fromKind === "time" ? localInputToIso(form.fromTime) : null;
  const toIso = form.toKind === "time" ? localInputToIso(form.toTime) : null;

  return (
    <form onSubmit={submit} aria-label="Search" data-testid="search-form" className="space-y-2.5 rounded border border-line bg-surface px-3 py-2.5">
      <fieldset className="flex flex-wrap items-start gap-x-3 gap-y-2">
        <legend className="sr-only">Range</legend>
        <Field label="Topic" className="max-w-full">
          <select data-testid="search-topic" value={form.topic} onChange={(event) => set({ topic: event.target.value })} className={`${INPUT_CLASS} w-auto max-w-full font-mono`}>
            {topics === undefined ? <option value={form.topic}>{form.topic || "loading topics…"}</option> : null}
            {topics?.map((info) => (
              <option key={info.topic} value={info.topic}>
                {info.topic} ({info.partitions.length} partition{info.partitions.length === 1 ? "" : "s"})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Partitions" className="w-36" hint={topic ? `0–${topic.partitions.length - 1}; empty: all` : "empty: all"}>
          <input data-testid="search-filter-partitions" {...text("partitions")} placeholder="all" className={`${INPUT_CLASS} tabular`} />
        </Field>
        <Field label="From" className="w-40">
          <select data-testid="search-from-kind" value={form.fromKind} onChange={(event) => set({ fromKind: event.target.value as FromKind })} className={INPUT_CLASS}>
            <option value="beginning">the beginning</option>
            <option value="endMinus">N before the end</option>
            <option value="time">a time</option>
            <option value="offset">an offset</option>
            {form.fromKind === "positions" ? <option value="positions">positions {view.from}</option> : null}
          </select>
        </Field>
        {form.fromKind === "endMinus" ? (
          <Field label="N before the end" className="w-28" hint="in each partition">
            <input data-testid="search-from-count" inputMode="numeric" {...text("fromCount")} className={`${INPUT_CLASS} tabular`} />
          </Field>
        ) : null}
        {form.fromKind === "time" ? (
          <Field label="From time (your clock)" className="w-56" hint={fromIso ? `= ${formatUtcTimestamp(fromIso)}` : undefined}>
            <input data-testid="search-from-time" type="datetime-local" step={1} {...text("fromTime")} className={INPUT_CLASS} />
          </Field>
        ) : null}
        {form.fromKind === "offset" ? (
          <Field label="From offset" className="w-32" hint="one partition only">
            <input data-testid="search-from-offset" inputMode="numeric" {...text("fromOffset")} className={`${INPUT_CLASS} tabular`} />
          </Field>
        ) : null}
        <Field label="To" className="w-44">
          <select data-testid="search-to-kind" value={form.toKind} onChange={(event) => set({ toKind: event.target.value as "end" | "time" })} className={INPUT_CLASS}>
            <option value="end">the end, as at Start</option>
            <option value="time">a time</option>
          </select>
        </Field>
        {form.toKind === "time" ? (
          <Field label="To time (your clock)" className="w-56" hint={toIso ? `= ${formatUtcTimestamp(toIso)}` : undefined}>
            <input data-testid="search-to-time" type="datetime-local" step={1} {...text("toTime")} className={INPUT_CLASS} />
          </Field>
        ) : null}
      </fieldset>

      <fieldset className="flex flex-wrap items-start gap-x-3 gap-y-2 border-t border-line pt-2">
        <legend className="sr-only">Filters</legend>
        <div className={`${LABEL_CLASS} shrink-0`}>
          <span>Op (none: any)</span>
          <OpChips testId="search-filter-op" selected={form.ops} onChange={(ops) => set({ ops })} />
        </div>
        <Field label="Event type (exact)">
          <input data-testid="search-filter-event-type" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("eventType")} className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Aggregate type (exact)">
          <input data-testid="search-filter-aggregate-type" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("aggregateType")} className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Aggregate id (exact)">
          <input data-testid="search-filter-aggregate-id" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("aggregateId")} className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Key (exact, or its event id)">
          <input data-testid="search-filter-key" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("key")} className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Header name">
          <input data-testid="search-filter-header-name" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("headerName")} placeholder="e.g. x-replay-id" className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Header value (exact)">
          <input data-testid="search-filter-header-value" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("headerValue")} className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="JSON path" className="min-w-56 flex-[2] basis-72" hint="after.status, payload.customer.id (payload. is after.payload.), payload.items[0].sku">
          <input data-testid="search-filter-path" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("path")} placeholder="payload.customer.id" className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Path match">
          <select data-testid="search-filter-path-match" value={form.match} onChange={(event) => set({ match: event.target.value as FormState["match"] })} className={INPUT_CLASS}>
            <option value="equals">equals</option>
            <option value="contains">contains (any case)</option>
            <option value="exists">exists (not null)</option>
          </select>
        </Field>
        <Field label="Path value">
          <input data-testid="search-filter-path-value" maxLength={MAX_MESSAGE_FILTER_TEXT} disabled={form.match === "exists"} {...text("value")} className={`${INPUT_CLASS} font-mono`} />
        </Field>
        <Field label="Text anywhere (any case)" className="min-w-56 flex-[2] basis-72">
          <input data-testid="search-filter-text" maxLength={MAX_MESSAGE_FILTER_TEXT} {...text("text")} placeholder="in the key, the value or a header" className={INPUT_CLASS} />
        </Field>
      </fieldset>

      <div className="flex flex-wrap items-end gap-x-3 gap-y-2 border-t border-line pt-2">
        <Field label="Max records scanned" className="w-36">
          <input data-testid="search-max-scanned" type="number" min={1} max={SEARCH_MAX_SCANNED} step={1} {...text("maxScanned")} className={`${INPUT_CLASS} tabular`} />
        </Field>
        <Field label="Max results" className="w-28">
          <input data-testid="search-max-results" type="number" min={1} max={SEARCH_MAX_RESULTS} step={1} {...text("maxResults")} className={`${INPUT_CLASS} tabular`} />
        </Field>
        <Field label="Time limit (s)" className="w-28">
          <input data-testid="search-timeout" type="number" min={0.1} max={SEARCH_MAX_TIMEOUT_MS / 1_000} step="any" {...text("timeoutSeconds")} className={`${INPUT_CLASS} tabular`} />
        </Field>
        <button type="submit" data-testid="search-start" disabled={props.starting} className={PRIMARY_BUTTON_CLASS}>
          {props.starting ? "Starting…" : props.running ? "Start a new search" : "Start"}
        </button>
        {props.onClose ? (
          <button type="button" data-testid="search-edit-close" onClick={props.onClose} className={BUTTON_CLASS}>
            Keep the search shown
          </button>
        ) : null}
        {error || props.startError ? (
          <p role="alert" data-testid="search-form-error" className="pb-1 text-xs text-down">
            {error ?? props.startError}
          </p>
        ) : null}
      </div>
    </form>
  );
}
