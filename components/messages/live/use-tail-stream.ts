"use client";

import { startTransition, useEffect, useReducer, useRef } from "react";
import type { TailFilter } from "@/lib/contracts/message-filter";
import { TAIL_BATCH_MAX_RECORDS, tailBatchSchema, type TailBatch } from "@/lib/contracts/tail";
import { useLiveSocket } from "@/components/realtime/live-connection";
import { liveFilterKey } from "../url-state";
import {
  LIVE_FLUSH_INTERVAL_MS,
  LIVE_LIST_MAX_RECORDS,
  applyBatches,
  clearTailList,
  initialTailList,
  pauseTailList,
  restartTailList,
  resumeTailList,
  tailRates,
  type ReceivedBatch,
  type TailListState,
  type TailRates,
} from "./tail-buffer";
import { summaryMatchesTailFilter } from "./tail-filter-match";

/**
 * Batches waiting for the next flush, at most: a background tab's timers fire once a second or
 * less, and a tab frozen for minutes must not come back holding every batch it missed. A hundred
 * full batches are the list's whole cap of rows.
 */
const MAX_QUEUED_BATCHES = LIVE_LIST_MAX_RECORDS / TAIL_BATCH_MAX_RECORDS;
/** Without new batches the list re-renders this often, so the rates fall when the topic goes quiet. */
const IDLE_TICK_MS = 1_000;

type Action =
  | { type: "flush"; batches: ReceivedBatch[]; now: number }
  | { type: "restart"; filterKey: string; filter: TailFilter; now: number }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "clear" };

interface StreamState {
  list: TailListState;
  /** The filter the list was built under: a different one restarts it. */
  filterKey: string;
}

function reducer(state: StreamState, action: Action): StreamState {
  switch (action.type) {
    case "flush": {
      // The list's clock starts with its first tick, not when the module loaded.
      const list = state.list.startedAt === 0 ? { ...state.list, startedAt: action.now } : state.list;
      return { ...state, list: applyBatches(list, action.batches, action.now) };
    }
    case "restart":
      return { filterKey: action.filterKey, list: restartTailList(state.list, (record) => summaryMatchesTailFilter(record, action.filter), action.now) };
    case "pause":
      return { ...state, list: pauseTailList(state.list) };
    case "resume":
      return { ...state, list: resumeTailList(state.list) };
    case "clear":
      return { ...state, list: clearTailList(state.list) };
  }
}

/** `tail:subscribe`'s payload: the filter when there is one. */
function subscribeOptions(filter: TailFilter): { filter?: TailFilter } {
  return Object.keys(filter).length > 0 ? { filter } : {};
}

export interface TailStream {
  list: TailListState;
  rates: TailRates;
  pause: () => void;
  resume: () => void;
  clear: () => void;
}

/**
 * The live tail of the Messages page: subscribes with the quick filters (`tail:subscribe {filter}`,
 * again after every reconnect, and again when the filter changes, which replaces it on the
 * server), queues the batches as they arrive, and merges them into the list at most every
 * LIVE_FLUSH_INTERVAL_MS. Unmounting unsubscribes.
 */
export function useTailStream(filter: TailFilter): TailStream {
  const socket = useLiveSocket();
  const filterKey = liveFilterKey(filter);
  const [state, dispatch] = useReducer(reducer, filterKey, (key): StreamState => ({ filterKey: key, list: initialTailList(0) }));
  const queue = useRef<ReceivedBatch[]>([]);
  // The filter as of the last render, for the socket's handlers (a reconnect subscribes with it).
  const latestFilter = useRef(filter);
  useEffect(() => {
    latestFilter.current = filter;
  });

  // A new filter: the rows that still match stay, counted anew (the dispatch during render is
  // React's way to reset state from a changed input, before the stale list is ever shown).
  if (state.filterKey !== filterKey) dispatch({ type: "restart", filterKey, filter, now: state.list.now });

  useEffect(() => {
    if (!socket) return;
    const subscribe = () => socket.emit("tail:subscribe", subscribeOptions(latestFilter.current));
    const onBatch = (batch: unknown) => {
      const parsed = tailBatchSchema.safeParse(batch);
      if (!parsed.success) return;
      queue.current.push({ batch: parsed.data, receivedAt: Date.now() });
      if (queue.current.length > MAX_QUEUED_BATCHES) {
        // The two oldest become one entry of counts only: the rates stay exact, the rows go first.
        const [oldest, next] = queue.current as [ReceivedBatch, ReceivedBatch];
        const merged: TailBatch = {
          ...next.batch,
          records: [],
          readSinceLast: oldest.batch.readSinceLast + next.batch.readSinceLast,
          matchedSinceLast: Math.max(oldest.batch.records.length, oldest.batch.matchedSinceLast) + Math.max(next.batch.records.length, next.batch.matchedSinceLast),
        };
        queue.current.splice(0, 2, { batch: merged, receivedAt: next.receivedAt });
      }
    };
    socket.on("connect", subscribe);
    socket.on("tail:batch", onBatch);
    return () => {
      socket.off("connect", subscribe);
      socket.off("tail:batch", onBatch);
      if (socket.connected) socket.emit("tail:unsubscribe");
    };
  }, [socket]);

  // Subscribing again replaces the filter on the server at once; no unsubscribe in between, which
  // would lose the records the server reads meanwhile.
  useEffect(() => {
    if (socket?.connected) socket.emit("tail:subscribe", subscribeOptions(filter));
    // The filter's key stands for the filter: a new object with the same fields is the same subscription.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket, filterKey]);

  useEffect(() => {
    let lastFlush = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      if (queue.current.length === 0 && now - lastFlush < IDLE_TICK_MS) return;
      // Batches that arrived just before a filter change were sent under the previous filter: their
      // records are checked against the fields a summary carries (free text is the server's to judge).
      const keep: TailFilter = { ...latestFilter.current, text: undefined };
      const batches = queue.current.map((received) => ({ ...received, batch: { ...received.batch, records: received.batch.records.filter((record) => summaryMatchesTailFilter(record, keep)) } }));
      queue.current = [];
      lastFlush = now;
      // A transition: React renders the flush's rows in slices of a few milliseconds, yielding to
      // the browser in between, instead of in one task (tens of ms on a busy machine at 5,000
      // records/s, the long tasks of bench:messages-browser). A click or a key press meanwhile
      // is handled first; pause, resume and clear stay immediate.
      startTransition(() => dispatch({ type: "flush", batches, now }));
    }, LIVE_FLUSH_INTERVAL_MS);
    return () => clearInterval(timer);
  }, []);

  return {
    list: state.list,
    rates: tailRates(state.list),
    pause: () => dispatch({ type: "pause" }),
    resume: () => dispatch({ type: "resume" }),
    clear: () => dispatch({ type: "clear" }),
  };
}
