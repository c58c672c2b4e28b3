import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { OUTBOX_API, outboxRowsPageSchema, type OutboxRowsPage } from "@/lib/contracts/outbox";
import { getJson, retryTransient } from "@/components/api/json-request";
import { outboxKeys } from "./outbox-keys";
import { changedRowIds } from "./row-changes";
import { searchParamsFromFilter, type OutboxView } from "./url-state";

/** The first page is live: new rows and status changes show within this. Deeper pages stand still while read. */
export const LIVE_ROWS_REFRESH_MS = 2_000;

export interface OutboxRowsAnswer {
  page: OutboxRowsPage;
  /** Rows new or changed since the previous answer for the same query; empty for the first answer. */
  changed: readonly string[];
  /** Answers received for this query, so a row that changes twice in a row is highlighted twice. */
  answers: number;
}

/** GET /api/outbox/rows?<query>, validated. */
export async function fetchOutboxRows(queryString: string, signal?: AbortSignal): Promise<OutboxRowsPage> {
  return getJson(`${OUTBOX_API.rows}${queryString ? `?${queryString}` : ""}`, outboxRowsPageSchema, signal);
}

/**
 * One page of rows. The comparison with the previous answer is made here, where both are at hand,
 * so the table renders the highlight from data rather than remembering pages itself.
 */
export function useOutboxRows(view: OutboxView) {
  const queryClient = useQueryClient();
  const queryString = searchParamsFromFilter(view).toString();
  const live = view.cursor === undefined;
  return useQuery({
    queryKey: outboxKeys.rows(queryString),
    queryFn: async ({ signal }): Promise<OutboxRowsAnswer> => {
      const page = await fetchOutboxRows(queryString, signal);
      const previous = queryClient.getQueryData<OutboxRowsAnswer>(outboxKeys.rows(queryString));
      return { page, changed: previous ? changedRowIds(previous.page.rows, page.rows) : [], answers: (previous?.answers ?? 0) + 1 };
    },
    refetchInterval: live ? LIVE_ROWS_REFRESH_MS : false,
    // The previous page stays on screen while the next one loads: paging does not blank the table.
    placeholderData: keepPreviousData,
    // The live page retries by refreshing; a page read once retries a transient failure.
    retry: live ? false : retryTransient,
  });
}
