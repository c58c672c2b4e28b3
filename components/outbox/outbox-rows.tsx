"use client";

import { useState } from "react";
import type { ActionKind } from "@/lib/contracts/outbox";
import { formatClockTime } from "@/lib/format/clock";
import { formatCount } from "@/lib/format/numbers";
import { ALERT_CLASS } from "@/components/forms/field-styles";
import { useCursorTrail } from "@/components/paging/cursor-trail";
import { Pager } from "@/components/paging/pager";
import type { ActionChoice } from "./action-target";
import { OutboxBulkActions } from "./outbox-bulk-actions";
import { LIVE_ROWS_REFRESH_MS, useOutboxRows } from "./outbox-rows-query";
import { OutboxRowsTable } from "./outbox-rows-table";
import { useOutboxPermissions } from "./use-outbox-permissions";
import { filterOfView, listKey, type OutboxView } from "./url-state";

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The rows of the view, a page at a time, with selection and the bulk actions. Selection belongs to
 * the page it was made on and holds only rows still shown: a row that scrolled off the live first
 * page is not acted on unseen.
 */
export function OutboxRows({ view, onNavigate, onAction }: { view: OutboxView; onNavigate: (view: OutboxView) => void; onAction: (choice: ActionChoice) => void }) {
  const permissions = useOutboxPermissions();
  const allowed = (["retry", "replay"] as const satisfies readonly ActionKind[]).filter((kind) => permissions[kind]);
  const query = useOutboxRows(view);
  const list = listKey(view);
  const cursor = view.cursor ?? null;
  const trail = useCursorTrail(list, cursor);
  const pageKey = `${list}#${cursor ?? ""}`;
  const [selection, setSelection] = useState<{ pageKey: string; ids: ReadonlySet<string> }>({ pageKey: "", ids: NO_IDS });

  const answer = query.data;
  const rows = answer?.page.rows ?? null;
  const shownIds = rows?.map((row) => row.eventId) ?? [];
  const selectedIds = selection.pageKey === pageKey ? shownIds.filter((id) => selection.ids.has(id)) : [];
  const selected = new Set(selectedIds);
  // A placeholder is the previous page shown while the next loads: nothing in it is new.
  const changed = answer && !query.isPlaceholderData ? new Set(answer.changed) : NO_IDS;

  const toggle = (eventId: string) => {
    const next = new Set(selectedIds);
    if (next.has(eventId)) next.delete(eventId);
    else next.add(eventId);
    setSelection({ pageKey, ids: next });
  };
  const toggleAll = () => setSelection({ pageKey, ids: selectedIds.length === shownIds.length ? NO_IDS : new Set(shownIds) });

  const page = answer?.page;
  const orderLabel = page?.orderedBy === "failedAt" ? "latest failures first" : view.order === "oldest" ? "oldest first" : "newest first";
  return (
    <section aria-labelledby="rows-heading" className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h2 id="rows-heading" className="text-sm font-medium text-ink">
            Rows
          </h2>
          {page ? (
            <p data-testid="outbox-rows-summary" data-rows={page.rows.length} data-live={cursor === null} className="text-[11px] text-ink-muted">
              <span className="tabular text-ink">{formatCount(page.rows.length)}</span> on this page · {orderLabel} · as of{" "}
              <span className="tabular">{formatClockTime(page.asOf)} UTC</span> ·{" "}
              {cursor === null ? `live, refreshed every ${LIVE_ROWS_REFRESH_MS / 1000} s` : "a later page: not refreshed"}
            </p>
          ) : null}
        </div>
        <Pager
          testIdPrefix="outbox"
          onFirstPage={cursor === null}
          canGoBack={trail.canGoBack}
          hasNext={Boolean(page?.nextCursor) && !query.isPlaceholderData}
          onFirst={() => onNavigate({ ...view, cursor: undefined })}
          onPrevious={() => {
            const previous = trail.back();
            onNavigate({ ...view, cursor: previous ?? undefined });
          }}
          onNext={() => {
            if (page?.nextCursor) onNavigate({ ...view, cursor: trail.forward(page.nextCursor) });
          }}
        />
      </div>
      <OutboxBulkActions selectedIds={selectedIds} filter={filterOfView(view)} allowed={allowed} onAction={onAction} />
      {query.isError ? (
        <p role="alert" data-testid="outbox-rows-error" className={ALERT_CLASS}>
          {query.error.message}
        </p>
      ) : null}
      {query.isError && !answer ? null : (
        <OutboxRowsTable
          rows={rows}
          now={page?.asOf ?? 0}
          changed={changed}
          flashName={(answer?.answers ?? 0) % 2 === 0 ? "a" : "b"}
          selection={allowed.length > 0 ? { selected, onToggle: toggle, onToggleAll: toggleAll } : undefined}
        />
      )}
    </section>
  );
}
