"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";
import { healthReportSchema } from "@/lib/contracts/health";
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket";
import { healthKeys } from "@/components/pipeline/health-keys";
import { receiveHistory, receiveSnapshot } from "@/components/metrics/live-metrics";

/**
 * One socket.io connection per browser tab, shared by every live component through context.
 * Pushed health reports are validated and written into the React Query cache, so components
 * read health one way (the query) whether it came from the socket or from GET /api/health.
 */

/** connecting: first attempt; connected; reconnecting: lost and retrying; offline: browser offline or server unreachable for a while. */
export type LiveConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

// After this many failed attempts in a row the server is reported "offline" rather than
// "reconnecting"; retries continue in the background either way.
export const OFFLINE_AFTER_FAILED_ATTEMPTS = 5;
// Caps socket.io's exponential backoff: a dashboard should be back within seconds of its server.
export const RECONNECT_DELAY_MAX_MS = 5_000;

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const LiveConnectionContext = createContext<LiveConnectionState>("connecting");
const LiveSocketContext = createContext<LiveSocket | null>(null);

export function useLiveConnection(): LiveConnectionState {
  return useContext(LiveConnectionContext);
}

/** The tab's socket once it has connected, for components that subscribe to a stream of their own (the live tail); null before. */
export function useLiveSocket(): LiveSocket | null {
  return useContext(LiveSocketContext);
}

export function LiveConnectionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveConnectionState>("connecting");
  const [liveSocket, setLiveSocket] = useState<LiveSocket | null>(null);

  useEffect(() => {
    const socket: LiveSocket = io({
      path: SOCKET_PATH,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    });
    let failedAttempts = 0;
    let everConnected = false;

    socket.on("connect", () => {
      failedAttempts = 0;
      everConnected = true;
      setState("connected");
      setLiveSocket(socket);
    });
    socket.on("connect_error", () => {
      failedAttempts += 1;
      if (!navigator.onLine || failedAttempts >= OFFLINE_AFTER_FAILED_ATTEMPTS) setState("offline");
      else setState(everConnected ? "reconnecting" : "connecting");
    });
    socket.on("disconnect", (reason) => {
      // After a server-side disconnect socket.io does not retry by itself; a dashboard should.
      if (reason === "io server disconnect") socket.connect();
      setState(navigator.onLine ? "reconnecting" : "offline");
    });
    socket.on("health", (report) => {
      const parsed = healthReportSchema.safeParse(report);
      if (parsed.success) queryClient.setQueryData(healthKeys.report(), parsed.data);
    });
    socket.on("metrics:history", (points) => receiveHistory(queryClient, points));
    socket.on("metrics:snapshot", (update) => receiveSnapshot(queryClient, update));

    const onOffline = () => setState("offline");
    const onOnline = () => {
      if (!socket.connected) setState("reconnecting");
    };
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);
    return () => {
      setLiveSocket(null);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      socket.disconnect();
    };
  }, [queryClient]);

  return (
    <LiveConnectionContext.Provider value={state}>
      <LiveSocketContext.Provider value={liveSocket}>{children}</LiveSocketContext.Provider>
    </LiveConnectionContext.Provider>
  );
}
