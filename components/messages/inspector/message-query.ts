import { useQuery } from "@tanstack/react-query";
import { ApiError, retryTransient } from "@/components/api/json-request";
import { fetchMessage } from "../messages-api";
import { messagesKeys } from "../messages-keys";
import type { MessageRef } from "../url-state";

/**
 * One message. A record at an offset never changes (retention or compaction can only remove it),
 * so an answer is kept for the tab's life; a 404 is not retried.
 */
export function useMessage(ref: MessageRef, full: boolean, enabled = true) {
  return useQuery({
    queryKey: messagesKeys.message(ref, full),
    queryFn: ({ signal }) => fetchMessage(ref, full, signal),
    enabled,
    staleTime: Infinity,
    retry: (failureCount, error) => !(error instanceof ApiError && error.status === 404) && retryTransient(failureCount, error),
  });
}
