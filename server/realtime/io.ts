import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "@/lib/contracts/socket";
import { SOCKET_PATH } from "@/lib/contracts/socket";
import type { HealthMonitor } from "@/server/health/monitor";
import type { MetricsCollector } from "@/server/metrics/collector";
import type { Logger } from "@/server/log";
import { isOriginAllowed } from "./origin";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

// Browsers send us nothing yet; anything above a small control message is abuse. socket.io's
// default (1 MB per message) would let each client make the server buffer a megabyte.
export const SOCKET_MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

export interface RealtimeSettings {
  allowedOrigins: readonly string[];
  health: HealthMonitor;
  metrics: MetricsCollector;
  logger: Logger;
}

/**
 * socket.io on the HTTP server that also serves Next. Sends the latest health report on connect
 * and every new report to everyone.
 *
 * Health is broadcast after every poll (not only on change) so latencies stay live; the poll
 * interval (>= 500 ms by configuration) bounds the rate. Broadcasts are volatile: a client that
 * cannot keep up skips a report instead of the server queueing reports for it, and the next
 * report supersedes the skipped one anyway.
 */
export function attachRealtime(httpServer: HttpServer, settings: RealtimeSettings): { io: RealtimeServer; detach: () => void } {
  const { logger } = settings;
  const io: RealtimeServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    maxHttpBufferSize: SOCKET_MAX_CLIENT_MESSAGE_BYTES,
    // Next's dev server upgrades its own HMR WebSocket on this HTTP server; socket.io must leave
    // upgrades on other paths alone instead of destroying them after a second.
    destroyUpgrade: false,
    allowRequest: (req, callback) => {
      const allowed = isOriginAllowed(req.headers.origin, req.headers.host, settings.allowedOrigins);
      if (!allowed) logger.warn(`rejected socket handshake from origin ${JSON.stringify(req.headers.origin)}`);
      callback(allowed ? null : "origin not allowed", allowed);
    },
  });

  io.on("connection", (socket) => {
    const latest = settings.health.latest();
    if (latest) socket.emit("health", latest);
    // Every connection, first or after a reconnect, gets the whole history: charts are full at
    // first paint, and a browser that was away resyncs to the server's numbers.
    socket.emit("metrics:history", settings.metrics.history());
  });

  const unsubscribeHealth = settings.health.subscribe((report) => {
    io.volatile.emit("health", report);
  });
  // One snapshot a second, volatile: a slow client skips one rather than the server queueing them
  // (the next supersedes it), so a stalled browser costs no memory here.
  const unsubscribeMetrics = settings.metrics.subscribe((snapshot, point) => {
    io.volatile.emit("metrics:snapshot", { snapshot, point });
  });

  return {
    io,
    detach: () => {
      unsubscribeHealth();
      unsubscribeMetrics();
    },
  };
}
