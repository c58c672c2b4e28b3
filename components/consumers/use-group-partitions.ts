"use client";

import { useEffect } from "react";
import { useLiveSocket } from "@/components/realtime/live-connection";

/**
 * Asks the server for every group's partitions with each snapshot while the calling page is
 * mounted (other pages get each group's summary only). Asked again after a reconnect: the server
 * sees a new connection, which starts without it.
 */
export function useGroupPartitions(): void {
  const socket = useLiveSocket();
  useEffect(() => {
    if (!socket) return;
    const subscribe = () => socket.emit("metrics:partitions:subscribe");
    subscribe();
    socket.on("connect", subscribe);
    return () => {
      socket.off("connect", subscribe);
      socket.emit("metrics:partitions:unsubscribe");
    };
  }, [socket]);
}
