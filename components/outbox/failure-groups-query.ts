import { useQuery } from "@tanstack/react-query";
import { OUTBOX_API, failureGroupsResponseSchema, type FailureGroupsResponse } from "@/lib/contracts/outbox";
import { getJson } from "@/components/api/json-request";
import { outboxKeys } from "./outbox-keys";

/** The server recomputes the grouping every few seconds; asking more often would read the same answer. */
export const FAILURE_GROUPS_REFRESH_MS = 5_000;

/** GET /api/outbox/failure-groups, validated. */
export async function fetchFailureGroups(signal?: AbortSignal): Promise<FailureGroupsResponse> {
  return getJson(OUTBOX_API.failureGroups, failureGroupsResponseSchema, signal);
}

export function useFailureGroups() {
  return useQuery({
    queryKey: outboxKeys.failureGroups(),
    queryFn: ({ signal }) => fetchFailureGroups(signal),
    refetchInterval: FAILURE_GROUPS_REFRESH_MS,
    // The next refresh is the retry.
    retry: false,
  });
}
