import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { retryTransient } from "@/components/api/json-request";
import { fetchBrowsePage } from "../messages-api";
import { messagesKeys } from "../messages-keys";
import { browseKey, type BrowseView } from "../url-state";

/**
 * One browse page. A page being read stands still: it is not refreshed on focus or on a timer
 * (Refresh reads it again); the previous page stays on screen while the next one loads.
 */
export function useBrowsePage(view: BrowseView) {
  const queryString = browseKey(view);
  return useQuery({
    queryKey: messagesKeys.browse(queryString),
    queryFn: ({ signal }) => fetchBrowsePage(queryString, signal),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
    retry: retryTransient,
  });
}
