"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { formatCount } from "@/lib/format/numbers";
import { ALERT_CLASS, BUTTON_CLASS } from "@/components/forms/field-styles";
import { useCursorTrail } from "@/components/paging/cursor-trail";
import { Pager } from "@/components/paging/pager";
import { AuditFilterBar } from "./audit-filter-bar";
import { AUDIT_REFRESH_MS, useAuditPage } from "./audit-page-query";
import { AuditTable } from "./audit-table";
import { emptyAuditText } from "./empty-audit-text";
import { auditExportHref, auditListKey, auditViewFromSearchParams, invalidAuditParams, isFilteredAuditView, searchParamsFromAuditView, type AuditView } from "./audit-url-state";

export const AUDIT_PAGE_PATH = "/audit";

/**
 * The audit log: filter and page in the URL, entries newest first, and the same filter as a CSV
 * download. Admins see everyone's entries, others their own; the scope line says which.
 */
export function AuditLog() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const view = useMemo(() => auditViewFromSearchParams(searchParams), [searchParams]);
  const ignored = useMemo(() => invalidAuditParams(searchParams), [searchParams]);
  const list = auditListKey(view);
  const cursor = view.cursor === undefined ? null : String(view.cursor);
  const trail = useCursorTrail(list, cursor);
  const query = useAuditPage(view);
  const page = query.data;

  const go = (params: URLSearchParams) => {
    const text = params.toString();
    router.push(text ? `${AUDIT_PAGE_PATH}?${text}` : AUDIT_PAGE_PATH, { scroll: false });
  };
  const navigate = (next: AuditView) => go(searchParamsFromAuditView(next));

  return (
    <div className="space-y-3">
      <AuditFilterBar key={list} view={view} ignored={ignored} onApply={go} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-[11px] text-ink-muted">
          {page ? (
            <>
              <span data-testid="audit-scope" data-scope={page.scope}>
                {page.scope === "all" ? "All users" : "Your entries only"}
              </span>{" "}
              · <span className="tabular text-ink">{formatCount(page.entries.length)}</span> on this page · newest first ·{" "}
              {cursor === null ? `refreshed every ${AUDIT_REFRESH_MS / 1000} s` : "a later page: not refreshed"}
            </>
          ) : null}
        </p>
        <div className="flex items-center gap-2">
          <a href={auditExportHref(view)} download data-testid="audit-export" className={BUTTON_CLASS}>
            Export CSV
          </a>
          <Pager
            testIdPrefix="audit"
            onFirstPage={cursor === null}
            canGoBack={trail.canGoBack}
            hasNext={page?.nextCursor != null && !query.isPlaceholderData}
            onFirst={() => navigate({ ...view, cursor: undefined })}
            onPrevious={() => {
              const previous = trail.back();
              navigate({ ...view, cursor: previous === null ? undefined : Number(previous) });
            }}
            onNext={() => {
              if (page?.nextCursor != null) navigate({ ...view, cursor: Number(trail.forward(String(page.nextCursor))) });
            }}
          />
        </div>
      </div>
      {query.isError ? (
        <p role="alert" data-testid="audit-error" className={ALERT_CLASS}>
          {query.error.message}
        </p>
      ) : null}
      {query.isError && !page ? null : <AuditTable entries={page?.entries ?? null} emptyText={emptyAuditText(isFilteredAuditView(view), page?.scope ?? null)} />}
    </div>
  );
}
