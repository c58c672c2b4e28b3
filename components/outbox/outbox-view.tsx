"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { ActionKind } from "@/lib/contracts/outbox";
import { ActionDialog } from "./action-dialog";
import type { ActionChoice } from "./action-target";
import { FailureGroupsPanel } from "./failure-groups-panel";
import { OutboxFilterBar } from "./outbox-filter-bar";
import { OutboxRows } from "./outbox-rows";
import { useOutboxPermissions } from "./use-outbox-permissions";
import { filterFromSearchParams, invalidSearchParams, listKey, searchParamsFromFilter, type OutboxView } from "./url-state";

export const OUTBOX_PAGE_PATH = "/outbox";

/**
 * The /outbox page's live part: failure groups, the filter, the rows, and the action dialog. What is
 * shown is the URL's (filter, order, page); every change is a navigation, so Back and a shared
 * link both work.
 */
export function OutboxOperations() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const permissions = useOutboxPermissions();
  const allowed = (["retry", "replay"] as const satisfies readonly ActionKind[]).filter((kind) => permissions[kind]);
  const view = useMemo(() => filterFromSearchParams(searchParams), [searchParams]);
  const ignored = useMemo(() => invalidSearchParams(searchParams), [searchParams]);
  const [action, setAction] = useState<ActionChoice | null>(null);

  const go = (params: URLSearchParams) => {
    const query = params.toString();
    router.push(query ? `${OUTBOX_PAGE_PATH}?${query}` : OUTBOX_PAGE_PATH, { scroll: false });
  };
  const navigate = (next: OutboxView) => go(searchParamsFromFilter(next));

  return (
    <div className="space-y-5">
      <FailureGroupsPanel
        allowed={allowed}
        onShowRows={(eventType) => navigate({ status: "failed", eventType, order: "newest" })}
        onAction={setAction}
      />
      <div className="space-y-2">
        {/* Remounted when the URL's filter changes, so the fields start from what is shown. */}
        <OutboxFilterBar key={listKey(view)} view={view} ignored={ignored} onApply={go} />
        <OutboxRows view={view} onNavigate={navigate} onAction={setAction} />
      </div>
      {action ? <ActionDialog choice={action} onClose={() => setAction(null)} /> : null}
    </div>
  );
}
