"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { TailFilter } from "@/lib/contracts/message-filter";
import type { TailRecordSummary } from "@/lib/contracts/tail";
import type { MetricsSnapshot } from "@/lib/contracts/metrics";
import { formatClockTime } from "@/lib/format/clock";
import { formatCount, formatRate } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";
import { useMetricsSnapshotValue } from "@/components/metrics/live-metrics";
import { useLiveConnection } from "@/components/realtime/live-connection";
import { ExportSelected } from "../export/export-selected";
import { loadSelectedMessages } from "../export/load-selected";
import { COMPACT_LIST_MIN_WIDTH, SUMMARY_COLUMNS, SUMMARY_LIST_MIN_WIDTH, summaryRowAttributes, visibleColumns } from "../list/summary-columns";
import { useRowChecks } from "../list/use-row-checks";
import { VirtualList } from "../list/virtual-list";
import { liveFilterKey, type MessageRef } from "../url-state";
import { LIVE_FLUSH_INTERVAL_MS, LIVE_LIST_MAX_RECORDS, recordKey, type TailRates } from "./tail-buffer";
import { TailFilterBar } from "./tail-filter-bar";
import { useTailStream } from "./use-tail-stream";

function refOf(record: TailRecordSummary): MessageRef {
  return { topic: record.topic, partition: record.partition, offset: record.offset };
}

/** The true incoming rate, and how much of it this list shows. */
function TailRate({ rates, topicFallback, filtered }: { rates: TailRates; topicFallback: number | null | undefined; filtered: boolean }) {
  const reported = rates.topicPerSecond ?? topicFallback ?? null;
  // The topic's rate comes rounded to whole records a second, measured over the server's window:
  // it can read 0 beside a filter's 0.4/s, and the topic never carries fewer than the filter matched.
  const topic = reported === null ? null : Math.max(reported, rates.matchedPerSecond);
  return (
    <p
      data-testid="tail-rate"
      data-topic-rate={topic ?? ""}
      data-matched-rate={rates.matchedPerSecond}
      data-shown-rate={rates.shownPerSecond}
      data-sampled={rates.sampled}
      className="tabular text-[11px] text-ink-muted"
    >
      topic <span className="text-ink">{formatRate(topic)}</span>
      {filtered ? (
        <>
          {" "}
          · matching the filter <span className="text-ink">{formatRate(rates.matchedPerSecond)}</span>
        </>
      ) : null}
      {rates.sampled ? (
        <span className="text-pending" title="The server sends at most 8 batches of 20 records a second: above that the list is a sample; the rates are exact.">
          {" "}
          · showing {formatRate(rates.shownPerSecond).replace("/s", "")} of {formatRate(rates.matchedPerSecond).replace("/s", "")} msg/s
        </span>
      ) : null}
    </p>
  );
}

const topicMessagesPerSec = (snapshot: MetricsSnapshot) => snapshot.topic.messagesPerSec;

/**
 * Live mode: the newest records of the outbox topic as they arrive, newest first, with the quick
 * filters, pause, and the rates that say how much of the stream the list is.
 */
export function LiveTail(props: { filter: TailFilter; openKey: string | null; onOpen: (ref: MessageRef) => void; onFilter: (filter: TailFilter) => void; compact: boolean }) {
  const { filter, openKey, onOpen, onFilter } = props;
  const queryClient = useQueryClient();
  const { list, rates, pause, resume, clear } = useTailStream(filter);
  const connection = useLiveConnection();
  // Only the topic's rate: the whole list would render again at every snapshot otherwise.
  const topicFallback = useMetricsSnapshotValue(topicMessagesPerSec);
  const filterKey = liveFilterKey(filter);
  const filtered = filterKey !== "";
  const { checks, checked } = useRowChecks(filterKey, list.records, recordKey);

  const waiting =
    connection !== "connected"
      ? `Waiting for the live connection (${connection})…`
      : list.batches === 0
        ? filtered
          ? "Waiting for the next record that matches the filter…"
          : "Waiting for the next record on the topic…"
        : "No record in the list.";

  return (
    <section aria-label="Live tail" className="space-y-2">
      <TailFilterBar key={filterKey} filter={filter} onApply={onFilter} />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <button
          type="button"
          data-testid="tail-pause"
          data-paused={list.paused}
          aria-pressed={list.paused}
          onClick={list.paused ? resume : pause}
          className={`${BUTTON_CLASS} min-w-20 ${list.paused ? "border-pending/60 text-pending" : ""}`}
        >
          {list.paused ? "▶ Resume" : "❚❚ Pause"}
        </button>
        <TailRate rates={rates} topicFallback={topicFallback} filtered={filtered} />
        {list.paused ? (
          <p data-testid="tail-paused-count" data-arrived={list.arrivedWhilePaused} className="tabular text-[11px] text-pending">
            paused at {formatClockTime(list.now)} UTC · {formatCount(list.arrivedWhilePaused)} arrived since
            {list.held.length > 0 ? `, ${formatCount(list.held.length)} to show on resume` : ""}
          </p>
        ) : null}
        <p data-testid="tail-count" data-count={list.records.length} className="tabular text-[11px] text-ink-faint" title={`The list keeps the newest ${formatCount(LIVE_LIST_MAX_RECORDS)} records and updates at most ${1_000 / LIVE_FLUSH_INTERVAL_MS} times a second`}>
          {formatCount(list.records.length)} in the list (newest {formatCount(LIVE_LIST_MAX_RECORDS)} kept)
          {list.dropped > 0 ? ` · ${formatCount(list.dropped)} older rows let go` : ""}
        </p>
        <span className="ml-auto flex flex-wrap items-center gap-1.5">
          <button type="button" data-testid="tail-clear" onClick={clear} disabled={list.records.length === 0 && list.held.length === 0} className={BUTTON_CLASS}>
            Clear list
          </button>
          <ExportSelected count={checked.length} fileStem="live-tail" load={(onProgress) => loadSelectedMessages(queryClient, checked.map(refOf), onProgress)} />
        </span>
      </div>
      <VirtualList
        label="Live records, newest first"
        testId="tail-list"
        rows={list.records}
        rowKey={recordKey}
        rowTestId="tail-row"
        rowAttributes={summaryRowAttributes}
        columns={visibleColumns(SUMMARY_COLUMNS, props.compact)}
        openKey={openKey}
        onOpen={(record) => onOpen(refOf(record))}
        checks={checks}
        empty={waiting}
        minWidth={props.compact ? COMPACT_LIST_MIN_WIDTH : SUMMARY_LIST_MIN_WIDTH}
        height="max(24rem, calc(100vh - 19rem))"
        keepPositionOnPrepend
      />
    </section>
  );
}
