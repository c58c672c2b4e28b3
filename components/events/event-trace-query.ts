import { useQuery } from "@tanstack/react-query";
import { OUTBOX_API } from "@/lib/contracts/outbox";
import { eventTraceSchema, type EventTrace } from "@/lib/contracts/events";
import { ApiError, getJson } from "@/components/api/json-request";
import { eventKeys } from "./event-keys";

/** The trace follows the event through the pipeline while the page is open. */
export const TRACE_REFRESH_MS = 3_000;

/** GET /api/events/<id>, validated. */
export async function fetchEventTrace(eventId: string, signal?: AbortSignal): Promise<EventTrace> {
  return getJson(OUTBOX_API.event(eventId), eventTraceSchema, signal);
}

export function useEventTrace(eventId: string) {
  return useQuery({
    queryKey: eventKeys.trace(eventId),
    queryFn: ({ signal }) => fetchEventTrace(eventId, signal),
    // An id that is not one (422) never becomes one; anything else may change (a row not yet
    // inserted, a server back up), so the refresh goes on.
    refetchInterval: (query) => (query.state.error instanceof ApiError && query.state.error.status === 422 ? false : TRACE_REFRESH_MS),
    // The next refresh is the retry.
    retry: false,
  });
}
