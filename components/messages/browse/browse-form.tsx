"use client";

import { useState, type FormEvent } from "react";
import { BROWSE_MAX_LIMIT, type PartitionWatermarks, type TopicInfo } from "@/lib/contracts/messages";
import { formatCount, formatOffset } from "@/lib/format/numbers";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { isoToLocalInput, localInputToIso } from "@/components/forms/datetime-local";
import { BUTTON_CLASS, INPUT_CLASS, LABEL_CLASS, PRIMARY_BUTTON_CLASS } from "@/components/forms/field-styles";
import type { BrowseView } from "../url-state";

export type StartKind = "end" | "beginning" | "endMinus" | "offset" | "time" | "positions";

const START_KIND_LABELS: Readonly<Record<StartKind, string>> = {
  end: "the end (newest page)",
  beginning: "the beginning (oldest)",
  endMinus: "newest N per partition",
  offset: "an offset",
  time: "a time",
  positions: "page position",
};

/** The browse range being edited; the URL changes on Go (or when a select changes). */
interface FormState {
  topic: string;
  partition: string;
  kind: StartKind;
  count: string;
  offset: string;
  time: string;
  limit: string;
}

function initialState(view: BrowseView, topic: string): FormState {
  const { start } = view;
  return {
    topic,
    partition: String(view.partition),
    kind: start.kind,
    count: start.kind === "endMinus" ? String(start.count) : "100",
    offset: start.kind === "offset" ? start.offset : "",
    time: start.kind === "time" ? isoToLocalInput(new Date(start.timeMs).toISOString()) : "",
    limit: String(view.limit),
  };
}

/** The browse view a form describes, or what is wrong with it (named as the field is labelled). */
export function browseViewOfForm(form: FormState, current: BrowseView, defaultTopic: string | null): Omit<BrowseView, "start"> | { error: string } {
  const partition = form.partition === "all" ? "all" : Number(form.partition);
  const limit = Number(form.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > BROWSE_MAX_LIMIT) return { error: `Messages per page must be a whole number from 1 to ${BROWSE_MAX_LIMIT}` };
  let from: string;
  let dir: BrowseView["dir"];
  switch (form.kind) {
    case "end":
    case "beginning":
      from = form.kind;
      break;
    case "endMinus": {
      const count = Number(form.count);
      if (!Number.isInteger(count) || count < 0 || count > 999_999_999) return { error: "N before the end must be a whole number ≥ 0" };
      from = `end-${count}`;
      break;
    }
    case "offset":
      if (!/^\d{1,19}$/.test(form.offset.trim())) return { error: "Offset must be a whole number ≥ 0" };
      if (partition === "all") return { error: "An offset needs one partition: pick a partition" };
      from = String(BigInt(form.offset.trim()));
      break;
    case "time": {
      const iso = localInputToIso(form.time);
      if (!iso) return { error: "Time must be a date and time" };
      from = iso;
      break;
    }
    case "positions":
      from = current.from;
      dir = current.dir;
      break;
  }
  const topic = form.topic === "" || form.topic === defaultTopic ? undefined : form.topic;
  return { topic, partition, from, dir, limit };
}

/**
 * Where a browse starts: topic, partition, a start (newest, oldest, N before the end, an offset,
 * a time) and the page size. A page cursor (Older/Newer) shows as "page position". The parent
 * remounts the form when the URL's range changes.
 */
export function BrowseForm(props: {
  view: BrowseView;
  topics: readonly TopicInfo[] | undefined;
  topicsError: string | null;
  /** The topic a link without `topic` reads (the outbox topic). */
  defaultTopic: string | null;
  onGo: (view: Omit<BrowseView, "start">) => void;
}) {
  const { view, topics, defaultTopic } = props;
  const [form, setForm] = useState<FormState>(() => initialState(view, view.topic ?? defaultTopic ?? ""));
  const [error, setError] = useState<string | null>(null);
  const topic = topics?.find((info) => info.topic === form.topic);

  const go = (next: FormState) => {
    const result = browseViewOfForm(next, view, defaultTopic);
    if ("error" in result) {
      setError(result.error);
      return;
    }
    setError(null);
    props.onGo(result);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go(form);
  };
  const set = (fields: Partial<FormState>) => setForm((current) => ({ ...current, ...fields }));
  const timeIso = form.kind === "time" ? localInputToIso(form.time) : null;
  const kinds: StartKind[] = ["end", "beginning", "endMinus", "offset", "time", ...(form.kind === "positions" ? (["positions"] as const) : [])];

  return (
    <form onSubmit={submit} aria-label="Browse range" data-testid="browse-form" className="space-y-2 rounded border border-line bg-surface px-3 py-2.5">
      <div className="flex flex-wrap items-end gap-x-3 gap-y-2">
        <label className={`${LABEL_CLASS} max-w-full`}>
          <span>Topic</span>
          <select
            data-testid="browse-topic"
            value={form.topic}
            onChange={(event) => {
              const next = { ...form, topic: event.target.value, partition: "all", kind: "end" as const };
              setForm(next);
              go(next);
            }}
            className={`${INPUT_CLASS} w-auto max-w-full font-mono`}
          >
            {topics === undefined ? <option value={form.topic}>{form.topic || "loading topics…"}</option> : null}
            {topics?.map((info) => (
              <option key={info.topic} value={info.topic}>
                {info.topic} ({info.partitions.length} partition{info.partitions.length === 1 ? "" : "s"}
                {info.outbox ? ", outbox" : ""})
              </option>
            ))}
          </select>
        </label>
        <label className={`${LABEL_CLASS} w-56`}>
          <span>Partition</span>
          <select
            data-testid="browse-partition"
            value={form.partition}
            onChange={(event) => {
              const next = { ...form, partition: event.target.value };
              setForm(next);
              if (next.kind !== "offset" || next.partition !== "all") go(next);
            }}
            className={INPUT_CLASS}
          >
            <option value="all">all partitions</option>
            {topic?.partitions.map((mark) => (
              <option key={mark.partition} value={String(mark.partition)}>
                {mark.partition} · {describeRange(mark)}
              </option>
            ))}
            {form.partition !== "all" && !topic?.partitions.some((mark) => String(mark.partition) === form.partition) ? (
              <option value={form.partition}>
                {form.partition}
                {topic ? " (not in this topic)" : ""}
              </option>
            ) : null}
          </select>
        </label>
        <label className={`${LABEL_CLASS} w-40`}>
          <span>Start at</span>
          <select data-testid="browse-from-kind" value={form.kind} onChange={(event) => set({ kind: event.target.value as StartKind })} className={INPUT_CLASS}>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {START_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        {form.kind === "endMinus" ? (
          <label className={`${LABEL_CLASS} w-28`}>
            <span>N (per partition)</span>
            <input data-testid="browse-count" type="number" min={0} step={1} inputMode="numeric" value={form.count} onChange={(event) => set({ count: event.target.value })} className={INPUT_CLASS} />
          </label>
        ) : null}
        {form.kind === "offset" ? (
          <label className={`${LABEL_CLASS} w-36`}>
            <span>Offset</span>
            <input data-testid="browse-offset" inputMode="numeric" value={form.offset} onChange={(event) => set({ offset: event.target.value })} placeholder="e.g. 1234" className={`${INPUT_CLASS} tabular`} />
          </label>
        ) : null}
        {form.kind === "time" ? (
          <label className={`${LABEL_CLASS} w-56`}>
            <span>Time (your clock)</span>
            <input data-testid="browse-time" type="datetime-local" step={1} value={form.time} onChange={(event) => set({ time: event.target.value })} className={INPUT_CLASS} />
          </label>
        ) : null}
        <label className={`${LABEL_CLASS} w-24`}>
          <span>Per page</span>
          <input data-testid="browse-limit" type="number" min={1} max={BROWSE_MAX_LIMIT} step={1} inputMode="numeric" value={form.limit} onChange={(event) => set({ limit: event.target.value })} className={INPUT_CLASS} />
        </label>
        <button type="submit" data-testid="browse-go" className={PRIMARY_BUTTON_CLASS}>
          Go
        </button>
        {form.kind === "time" ? (
          <span data-testid="browse-time-utc" className="tabular pb-1 text-[11px] text-ink-muted">
            {timeIso ? `= ${formatUtcTimestamp(timeIso)}` : "pick a date and time"}
          </span>
        ) : null}
        {form.kind === "positions" ? (
          <span className="pb-1 font-mono text-[11px] break-all text-ink-muted" title="Where this page starts in each partition">
            {view.from} {view.dir === "backward" ? "(going back)" : ""}
          </span>
        ) : null}
        {form.kind !== "end" ? (
          <button type="button" data-testid="browse-latest" onClick={() => go({ ...form, kind: "end" })} className={`${BUTTON_CLASS} ml-auto`}>
            Jump to newest
          </button>
        ) : null}
      </div>
      {topic ? <PartitionRanges topic={topic} /> : null}
      {props.topicsError ? <p className="text-xs text-down">Topics could not be read: {props.topicsError}</p> : null}
      {error ? (
        <p role="alert" data-testid="browse-form-error" className="text-xs text-down">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** "offsets 12–1,233" (the first and the last offset in the log), or "empty". */
export function describeRange(mark: PartitionWatermarks): string {
  const low = BigInt(mark.low);
  const high = BigInt(mark.high);
  return high > low ? `offsets ${formatOffset(mark.low)}–${formatOffset(String(high - 1n))}` : `empty (next offset ${formatOffset(mark.high)})`;
}

/** Each partition's offsets now: where a browse can go. */
function PartitionRanges({ topic }: { topic: TopicInfo }) {
  const total = topic.partitions.reduce((sum, mark) => sum + Math.max(0, Number(mark.high) - Number(mark.low)), 0);
  return (
    <p data-testid="browse-watermarks" className="tabular flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-ink-faint">
      <span className="text-ink-muted">{formatCount(total)} messages in the log</span>
      {topic.partitions.map((mark) => (
        <span key={mark.partition} data-partition={mark.partition} data-low={mark.low} data-high={mark.high}>
          p{mark.partition}: {describeRange(mark)}
        </span>
      ))}
    </p>
  );
}
