import { useQuery } from "@tanstack/react-query";
import { retryTransient } from "@/components/api/json-request";
import { fetchTopics } from "./messages-api";
import { messagesKeys } from "./messages-keys";

/** Topics rarely change; their watermarks do, so the list is read again when older than this and asked for. */
export const TOPICS_STALE_MS = 10_000;

/** The topics the dashboard may read, with each partition's low and high offsets. */
export function useTopics() {
  return useQuery({
    queryKey: messagesKeys.topics(),
    queryFn: ({ signal }) => fetchTopics(signal),
    staleTime: TOPICS_STALE_MS,
    retry: retryTransient,
  });
}
