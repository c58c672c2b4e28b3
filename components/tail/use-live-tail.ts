"use client";

import { useEffect, useState } from "react";
import { tailBatchSchema, type TailRecordSummary } from "@/lib/contracts/tail";
import { useLiveSocket } from "@/components/realtime/live-connection";

export interface LiveTailState {
  /** Newest first, at most the limit asked for. */
  records: TailRecordSummary[];
  /** Records the server's tail read in the batches received so far (sent or not). */
  read: number;
  /** Batches received; 0 until the first. */
  batches: number;
}

const EMPTY: LiveTailState = { records: [], read: 0, batches: 0 };

/**
 * Subscribes this tab to the server's live tail while the calling component is mounted, and keeps
 * the newest `limit` record summaries. Subscriptions live in a server-side room, which a
 * reconnect leaves: the hook subscribes again on every connect.
 */
export function useLiveTail(limit: number, enabled = true): LiveTailState {
  const socket = useLiveSocket();
  const [state, setState] = useState<LiveTailState>(EMPTY);

  useEffect(() => {
    if (!socket || !enabled) return;
    const subscribe = () => socket.emit("tail:subscribe");
    const onBatch = (batch: unknown) => {
      const parsed = tailBatchSchema.safeParse(batch);
      if (!parsed.success) return;
      const { records, readSinceLast } = parsed.data;
      setState((previous) => ({
        records: [...records, ...previous.records].slice(0, limit),
        read: previous.read + readSinceLast,
        batches: previous.batches + 1,
      }));
    };
    socket.on("connect", subscribe);
    socket.on("tail:batch", onBatch);
    if (socket.connected) subscribe();
    return () => {
      socket.off("connect", subscribe);
      socket.off("tail:batch", onBatch);
      if (socket.connected) socket.emit("tail:unsubscribe");
    };
  }, [socket, enabled, limit]);

  return state;
}
