"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { searchProgressSchema, type SearchProgress, type SearchResult } from "@/lib/contracts/messages";
import { ApiError, retryTransient } from "@/components/api/json-request";
import { useLiveConnection, useLiveSocket } from "@/components/realtime/live-connection";
import { fetchSearchResult } from "../messages-api";
import { messagesKeys } from "../messages-keys";
import { newerSearchProgress, progressOf, resultsBehind } from "./search-progress";

/**
 * While matches come in, the results (up to 2,000 summaries) are read again at most this often:
 * progress is pushed up to 4 times a second, the list need not follow at that pace.
 */
export const SEARCH_RESULTS_REFRESH_MS = 1_000;
/** Without the live connection the progress is polled instead, this often. */
export const SEARCH_POLL_MS = 2_000;

export interface SearchState {
  /** The newest progress known, pushed or read. */
  progress: SearchProgress | undefined;
  /** The matches read so far (summaries, in the order found). */
  result: SearchResult | undefined;
  error: Error | null;
  /** The server no longer keeps this search (404). */
  gone: boolean;
  /** Takes a progress from elsewhere (the cancel's answer). */
  receive: (progress: SearchProgress) => void;
}

/**
 * One search's progress and matches: `search:watch` pushes the progress (again after every
 * reconnect, since the server's watch ends with the connection); the matches are read with GET
 * search/<id> when the progress counts more than are shown, throttled, and once more when done.
 */
export function useSearch(searchId: string | undefined): SearchState {
  const socket = useLiveSocket();
  const connection = useLiveConnection();
  const [pushed, setPushed] = useState<SearchProgress | undefined>(undefined);

  const query = useQuery({
    queryKey: messagesKeys.search(searchId ?? ""),
    queryFn: ({ signal }) => fetchSearchResult(searchId!, signal),
    enabled: searchId !== undefined,
    // A finished search never changes again.
    staleTime: (current) => (current.state.data?.state === "done" ? Infinity : 0),
    refetchOnWindowFocus: false,
    refetchInterval: (current) => (current.state.data?.state === "running" && connection !== "connected" ? SEARCH_POLL_MS : false),
    retry: (failureCount, error) => !(error instanceof ApiError && error.status === 404) && retryTransient(failureCount, error),
  });

  useEffect(() => {
    if (!socket || searchId === undefined) return;
    const watch = () => socket.emit("search:watch", { searchId });
    const onProgress = (update: unknown) => {
      const parsed = searchProgressSchema.safeParse(update);
      if (!parsed.success || parsed.data.searchId !== searchId) return;
      setPushed((current) => newerSearchProgress(current, parsed.data));
    };
    socket.on("connect", watch);
    socket.on("search:progress", onProgress);
    if (socket.connected) watch();
    return () => {
      socket.off("connect", watch);
      socket.off("search:progress", onProgress);
      if (socket.connected) socket.emit("search:unwatch", { searchId });
    };
  }, [socket, searchId]);

  const result = query.data && query.data.searchId === searchId ? query.data : undefined;
  const read = useMemo(() => (result ? progressOf(result) : undefined), [result]);
  const ownPushed = pushed?.searchId === searchId ? pushed : undefined;
  const progress = read ? newerSearchProgress(ownPushed, read) : ownPushed;

  const behind = progress !== undefined && result !== undefined && resultsBehind(progress, result);
  const { isFetching, dataUpdatedAt, refetch } = query;
  useEffect(() => {
    if (!behind || isFetching) return;
    const wait = Math.max(0, dataUpdatedAt + SEARCH_RESULTS_REFRESH_MS - Date.now());
    const timer = setTimeout(() => void refetch(), wait);
    return () => clearTimeout(timer);
  }, [behind, isFetching, dataUpdatedAt, refetch, progress?.matched, progress?.state]);

  const error = query.error;
  return {
    progress,
    result,
    error,
    gone: error instanceof ApiError && error.status === 404,
    receive: (next) => setPushed((current) => newerSearchProgress(current?.searchId === next.searchId ? current : undefined, next)),
  };
}
