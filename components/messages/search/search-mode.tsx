"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { formatCount } from "@/lib/format/numbers";
import { useState } from "react";
import { ALERT_CLASS, BUTTON_CLASS } from "@/components/forms/field-styles";
import { searchExportRange } from "../export/export-links";
import { ExportSelected } from "../export/export-selected";
import { loadSelectedMessages } from "../export/load-selected";
import { ServerExportLinks } from "../export/server-export-links";
import { recordKey } from "../live/tail-buffer";
import { COMPACT_LIST_MIN_WIDTH, SUMMARY_COLUMNS, SUMMARY_LIST_MIN_WIDTH, summaryRowAttributes, visibleColumns } from "../list/summary-columns";
import { useRowChecks } from "../list/use-row-checks";
import { VirtualList } from "../list/virtual-list";
import { cancelSearch, startSearch } from "../messages-api";
import { useTopics } from "../topics-query";
import { searchFormKey, type MessageRef, type SearchView } from "../url-state";
import { describeSearch } from "./describe-search";
import { SearchForm } from "./search-form";
import { SearchProgressView } from "./search-progress-view";
import { useSearch } from "./use-search";

/**
 * Search mode: a bounded scan of a range on the server with structured filters, its live
 * progress, cancel, and the matches as they are found.
 */
export function SearchMode(props: { view: SearchView; defaultTopic: string | null; openKey: string | null; onOpen: (ref: MessageRef) => void; onNavigate: (view: SearchView) => void; compact: boolean }) {
  const { view } = props;
  const queryClient = useQueryClient();
  const topics = useTopics();
  const defaultTopic = props.defaultTopic ?? topics.data?.topics.find((info) => info.outbox)?.topic ?? null;
  const search = useSearch(view.searchId);
  const { progress, result } = search;
  const running = progress?.state === "running";

  const cancel = useMutation({
    mutationFn: (searchId: string) => cancelSearch(searchId),
    onSuccess: (answer) => search.receive(answer),
  });
  const start = useMutation({
    mutationFn: async (next: Omit<SearchView, "searchId">) => {
      // One search at a time from this page: a new one ends the one still running.
      if (running && view.searchId) void cancelSearch(view.searchId).catch(() => undefined);
      const started = await startSearch({
        topic: next.topic,
        partitions: next.partitions,
        from: next.from,
        to: next.to,
        filter: next.filter,
        maxScanned: next.maxScanned,
        maxResults: next.maxResults,
        timeoutMs: next.timeoutMs,
      });
      return { next, started };
    },
    onSuccess: ({ next, started }) => {
      search.receive(started.progress);
      props.onNavigate({ ...next, searchId: started.searchId });
    },
  });

  // A search shown opens as its summary, the list below it; Edit opens the form over it.
  const [editingFor, setEditingFor] = useState<string | null>(null);
  const editing = view.searchId === undefined || editingFor === view.searchId;

  const rows = result?.results ?? (view.searchId && !search.error ? null : []);
  const { checks, checked } = useRowChecks(view.searchId ?? "", rows, recordKey);
  const exportRange = searchExportRange(view, view.maxResults);

  return (
    <section aria-label="Search" className="space-y-2">
      {editing ? (
        <SearchForm
          key={searchFormKey(view)}
          view={view}
          topics={topics.data?.topics}
          defaultTopic={defaultTopic}
          running={running}
          starting={start.isPending}
          startError={start.isError ? start.error.message : null}
          onStart={(next) => start.mutate(next)}
          onClose={view.searchId ? () => setEditingFor(null) : null}
        />
      ) : (
        <div className="flex items-start gap-2 rounded border border-line bg-surface px-3 py-2">
          <p data-testid="search-summary" className="min-w-0 flex-1 text-xs break-words text-ink-muted">
            <span className="text-ink">Search:</span> {describeSearch(view, defaultTopic)}
          </p>
          <button type="button" data-testid="search-edit" onClick={() => setEditingFor(view.searchId ?? null)} className={BUTTON_CLASS}>
            Edit search
          </button>
        </div>
      )}
      {cancel.isError ? (
        <p role="alert" className={ALERT_CLASS}>
          Cancel failed: {cancel.error.message}
        </p>
      ) : null}
      {search.gone ? (
        <p role="alert" data-testid="search-gone" className={ALERT_CLASS}>
          The server no longer keeps this search (searches are kept for a while after they end). Start it again to see its results.
        </p>
      ) : search.error ? (
        <p role="alert" data-testid="search-load-error" className={ALERT_CLASS}>
          {search.error.message}
        </p>
      ) : null}
      {progress ? <SearchProgressView progress={progress} onCancel={view.searchId ? () => cancel.mutate(view.searchId!) : null} cancelling={cancel.isPending} /> : null}
      {search.gone || (search.error && !result) ? null : view.searchId === undefined ? (
        <p data-testid="search-idle" className="px-1 text-xs text-ink-faint">
          Set the range and the filters, then Start. The search reads the range on the server, at most the records and the time set, and keeps the first matches.
        </p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <p data-testid="search-results-summary" className="tabular text-[11px] text-ink-muted">
              {result ? (
                <>
                  <span className="text-ink">{formatCount(result.results.length)}</span> match{result.results.length === 1 ? "" : "es"} shown
                  {progress && progress.matched > result.results.length ? `, ${formatCount(progress.matched)} found so far` : ""} · in the order found
                </>
              ) : (
                "reading the matches…"
              )}
            </p>
            <span className="ml-auto flex flex-wrap items-center gap-1.5">
              <ServerExportLinks range={exportRange} note={exportRange.allPartitions ? "all partitions: an export reads one partition or all" : "the search's range and filter"} />
              <ExportSelected
                count={checked.length}
                fileStem="search"
                load={(onProgress) => loadSelectedMessages(queryClient, checked.map((row) => ({ topic: row.topic, partition: row.partition, offset: row.offset })), onProgress)}
              />
            </span>
          </div>
          <VirtualList
            label="Matches, in the order found"
            testId="search-results"
            rows={rows}
            rowKey={recordKey}
            rowTestId="search-result"
            rowAttributes={summaryRowAttributes}
            columns={visibleColumns(SUMMARY_COLUMNS, props.compact)}
            openKey={props.openKey}
            onOpen={(row) => props.onOpen({ topic: row.topic, partition: row.partition, offset: row.offset })}
            checks={checks}
            empty={running ? "No match yet…" : "No message matched."}
            minWidth={props.compact ? COMPACT_LIST_MIN_WIDTH : SUMMARY_LIST_MIN_WIDTH}
            height="max(20rem, calc(100vh - 30rem))"
          />
        </>
      )}
    </section>
  );
}
