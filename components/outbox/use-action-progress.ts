"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { actionProgressSchema, type ActionProgress } from "@/lib/contracts/outbox";
import { useLiveSocket } from "@/components/realtime/live-connection";
import { auditKeys } from "@/components/audit/audit-keys";
import { eventKeys } from "@/components/events/event-keys";
import { fetchActionProgress } from "./action-request";
import { isFinished, newerProgress } from "./action-progress";
import { outboxKeys } from "./outbox-keys";

/**
 * Polled while the action runs, beside the socket's pushes: the push is prompt, the poll is what
 * still works when the socket is down or a push was dropped.
 */
export const ACTION_POLL_MS = 1_000;

/**
 * The live progress of one action, started from the POST's answer. Pushed updates (`action:watch`,
 * again after every reconnect since the server's watch ends with the connection) and polled ones
 * both go through {@link newerProgress} into one cache entry. Unmounting unwatches.
 */
export function useActionProgress(initial: ActionProgress): ActionProgress {
  const queryClient = useQueryClient();
  const socket = useLiveSocket();
  const { actionId } = initial;

  const { data } = useQuery({
    queryKey: outboxKeys.action(actionId),
    queryFn: async ({ signal }) => newerProgress(queryClient.getQueryData<ActionProgress>(outboxKeys.action(actionId)), await fetchActionProgress(actionId, signal)),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && !isFinished(query.state.data.state) ? ACTION_POLL_MS : false),
    // A finished action never changes again.
    staleTime: (query) => (query.state.data && isFinished(query.state.data.state) ? Infinity : 0),
    // The next poll is the retry.
    retry: false,
  });

  useEffect(() => {
    if (!socket) return;
    const watch = () => socket.emit("action:watch", { actionId });
    const onProgress = (pushed: ActionProgress) => {
      const parsed = actionProgressSchema.safeParse(pushed);
      if (!parsed.success || parsed.data.actionId !== actionId) return;
      queryClient.setQueryData<ActionProgress>(outboxKeys.action(actionId), (current) => newerProgress(current, parsed.data));
    };
    socket.on("connect", watch);
    socket.on("action:progress", onProgress);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("action:progress", onProgress);
      if (socket.connected) socket.emit("action:unwatch", { actionId });
    };
  }, [socket, actionId, queryClient]);

  const finished = isFinished(data.state);
  useEffect(() => {
    if (!finished) return;
    // What a finished action changed: the rows, the failure groups, the traces of its events and the audit log.
    void queryClient.invalidateQueries({ queryKey: outboxKeys.rowPages() });
    void queryClient.invalidateQueries({ queryKey: outboxKeys.failureGroups() });
    void queryClient.invalidateQueries({ queryKey: eventKeys.all });
    void queryClient.invalidateQueries({ queryKey: auditKeys.all });
  }, [finished, queryClient]);

  return data;
}
