import type { z } from "zod";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "@/lib/contracts/socket";
import type { Principal } from "@/lib/contracts/auth";
import { SOCKET_PATH } from "@/lib/contracts/socket";
import { withoutGroupPartitions } from "@/lib/contracts/metrics";
import type { HealthMonitor } from "@/server/health/monitor";
import type { MetricsCollector } from "@/server/metrics/collector";
import type { Logger } from "@/server/log";
import { ACTIONS } from "@/lib/auth/roles";
import { tailSubscribeSchema } from "@/lib/contracts/tail";
import type { Auth } from "@/server/auth/auth";
import { describeZodError } from "@/lib/errors/zod";
import { connectionAuthRequest } from "@/server/http/connection";
import { actionWatchSchema } from "@/lib/contracts/outbox";
import type { OutboxActions } from "@/server/outbox/actions";
import type { TopicTail } from "@/server/kafka/tail";
import { isOriginAllowed } from "./origin";
import { TailSubscriptions } from "./tail-subscriptions";
import { searchWatchSchema } from "@/lib/contracts/messages";
import type { MessageSearches } from "@/server/messages/searches";
import { isRequestError } from "@/server/http/request-error";

/**
 * How often each connected socket's credentials are checked again: a session that expires or is
 * signed out, or a token that is removed, loses its live connection within this time.
 */
export const SOCKET_REAUTH_INTERVAL_MS = 30_000;

/** Packets waiting for a subscriber beyond which it skips tail batches: two seconds of batches, then the client is slower than the stream. */
export const TAIL_MAX_QUEUED_PACKETS = 16;

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

// Browsers send us nothing yet; anything above a small control message is abuse. socket.io's
// default (1 MB per message) would let each client make the server buffer a megabyte.
export const SOCKET_MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

export interface RealtimeSettings {
  allowedOrigins: readonly string[];
  /** Who may connect: every handshake needs a session, a token or a trusted proxy's word (or anonymous access when configured). */
  auth: Auth;
  health: HealthMonitor;
  metrics: MetricsCollector;
  /** The live tail whose newest records go to `tail:subscribe`rs. */
  tail: Pick<TopicTail, "onRecord" | "recordsRead">;
  /** Retry and replay actions whose progress `action:watch`ers receive. */
  actions?: Pick<OutboxActions, "watch">;
  /** Message searches whose progress `search:watch`ers receive. */
  searches?: Pick<MessageSearches, "watch">;
  logger: Logger;
}

/** The sockets that receive every group's partitions with each snapshot. */
const METRICS_PARTITIONS_ROOM = "metrics:partitions";
/** Actions one socket may watch at once; a dialog watches one. */
export const MAX_WATCHED_ACTIONS_PER_SOCKET = 8;
/** Searches one socket may watch at once; a page watches one. */
export const MAX_WATCHED_SEARCHES_PER_SOCKET = 4;

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
    // Runs on every new engine.io connection, first or after a reconnect; a refused handshake is
    // answered 403 with the reason, before any socket exists.
    allowRequest: (req, callback) => {
      if (!isOriginAllowed(req.headers.origin, req.headers.host, settings.allowedOrigins)) {
        logger.warn(`rejected socket handshake from origin ${JSON.stringify(req.headers.origin)}`);
        callback("origin not allowed", false);
        return;
      }
      const result = settings.auth.authenticate(connectionAuthRequest(req, settings.auth));
      if (!result.ok) {
        callback(result.message, false);
        return;
      }
      callback(null, true);
    },
  });

  // The socket's principal, from the same request the handshake was allowed for.
  io.use((socket, next) => {
    const result = settings.auth.authenticate(connectionAuthRequest(socket.request, settings.auth));
    if (!result.ok) {
      next(Object.assign(new Error(result.message), { data: { status: result.status } }));
      return;
    }
    socket.data.principal = result.principal;
    next();
  });

  const reauthenticate = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      const result = settings.auth.authenticate(connectionAuthRequest(socket.request, settings.auth));
      if (!result.ok) {
        socket.emit("request:error", { event: "connection", message: result.message });
        socket.disconnect(true);
      }
    }
  }, SOCKET_REAUTH_INTERVAL_MS);
  reauthenticate.unref();

  // Not volatile: over HTTP long-polling a volatile packet is dropped whenever no poll is waiting,
  // which lost most batches. Instead each subscriber is sent a batch only while fewer than
  // TAIL_MAX_QUEUED_PACKETS packets wait for it, so a slow or stalled client skips batches and
  // costs the server a bounded queue.
  const tailSubscriptions = new TailSubscriptions({
    send: (id, batch) => {
      const socket = io.sockets.sockets.get(id);
      if (socket && queuedPackets(socket.conn) < TAIL_MAX_QUEUED_PACKETS) socket.emit("tail:batch", batch);
    },
    recordsRead: () => settings.tail.recordsRead,
  });

  io.on("connection", (socket) => {
    const latest = settings.health.latest();
    if (latest) socket.emit("health", latest);
    // Every connection, first or after a reconnect, gets the whole history: charts are full at
    // first paint, and a browser that was away resyncs to the server's numbers.
    socket.emit("metrics:history", settings.metrics.history());

    /** Who sent a client event, when they may read; null after telling the client why not. */
    const reader = (event: keyof ClientToServerEvents): Principal | null => {
      const principal = socket.data.principal;
      const refusal = principal ? settings.auth.authorize(principal, ACTIONS.read) : { status: 401, message: "not signed in" };
      if (refusal || !principal) {
        socket.emit("request:error", { event, message: refusal?.message ?? "not signed in" });
        return null;
      }
      return principal;
    };
    /** Who sent a client event and its payload, validated; null after telling the client why not. */
    const readEvent = <T>(event: keyof ClientToServerEvents, schema: z.ZodType<T>, options: unknown): { principal: Principal; data: T } | null => {
      const principal = reader(event);
      if (!principal) return null;
      const parsed = schema.safeParse(options);
      if (!parsed.success) {
        socket.emit("request:error", { event, message: describeZodError(parsed.error) });
        return null;
      }
      return { principal, data: parsed.data };
    };

    socket.on("tail:subscribe", (options) => {
      const request = readEvent("tail:subscribe", tailSubscribeSchema, options);
      if (!request) return;
      const refused = tailSubscriptions.subscribe(socket.id, request.data?.filter);
      if (refused) socket.emit("request:error", { event: "tail:subscribe", message: refused });
    });
    socket.on("tail:unsubscribe", () => tailSubscriptions.unsubscribe(socket.id));

    // The groups' partitions, for the pages that show them (see groupPartitions in the contract).
    socket.on("metrics:partitions:subscribe", () => {
      if (reader("metrics:partitions:subscribe")) void socket.join(METRICS_PARTITIONS_ROOM);
    });
    socket.on("metrics:partitions:unsubscribe", () => void socket.leave(METRICS_PARTITIONS_ROOM));

    // Progress of message searches, as for actions; only the search's owner (or an admin) may watch it.
    const watchingSearches = new Map<string, () => void>();
    socket.on("search:watch", (options) => {
      const request = readEvent("search:watch", searchWatchSchema, options);
      if (!request) return;
      const { principal } = request;
      const { searchId } = request.data;
      if (watchingSearches.has(searchId) || !settings.searches) return;
      if (watchingSearches.size >= MAX_WATCHED_SEARCHES_PER_SOCKET) {
        socket.emit("request:error", { event: "search:watch", message: `at most ${MAX_WATCHED_SEARCHES_PER_SOCKET} searches can be watched at once` });
        return;
      }
      try {
        watchingSearches.set(searchId, settings.searches.watch(searchId, principal, (progress) => socket.emit("search:progress", progress)));
      } catch (error) {
        socket.emit("request:error", { event: "search:watch", message: isRequestError(error) ? error.message : "the search cannot be watched" });
      }
    });
    socket.on("search:unwatch", (options) => {
      const parsed = searchWatchSchema.safeParse(options);
      if (!parsed.success) return;
      watchingSearches.get(parsed.data.searchId)?.();
      watchingSearches.delete(parsed.data.searchId);
    });

    // Progress of actions: every update goes to the watchers' sockets; the actions throttle them
    // (ACTION_PROGRESS_PER_SECOND), and a socket watches a bounded number at once.
    const watching = new Map<number, () => void>();
    socket.on("action:watch", (options) => {
      const request = readEvent("action:watch", actionWatchSchema, options);
      if (!request) return;
      const { actionId } = request.data;
      if (watching.has(actionId) || !settings.actions) return;
      if (watching.size >= MAX_WATCHED_ACTIONS_PER_SOCKET) {
        socket.emit("request:error", { event: "action:watch", message: `at most ${MAX_WATCHED_ACTIONS_PER_SOCKET} actions can be watched at once` });
        return;
      }
      watching.set(actionId, settings.actions.watch(actionId, (progress) => socket.emit("action:progress", progress)));
    });
    socket.on("action:unwatch", (options) => {
      const parsed = actionWatchSchema.safeParse(options);
      if (!parsed.success) return;
      watching.get(parsed.data.actionId)?.();
      watching.delete(parsed.data.actionId);
    });
    socket.on("disconnect", () => {
      for (const unwatch of watching.values()) unwatch();
      watching.clear();
      for (const unwatch of watchingSearches.values()) unwatch();
      watchingSearches.clear();
      tailSubscriptions.unsubscribe(socket.id);
    });
  });

  const unsubscribeTail = settings.tail.onRecord((record, meta) => tailSubscriptions.accept(record, meta.receivedAt));

  const unsubscribeHealth = settings.health.subscribe((report) => {
    io.volatile.emit("health", report);
  });
  // One snapshot a second, volatile: a slow client skips one rather than the server queueing them
  // (the next supersedes it), so a stalled browser costs no memory here.
  const unsubscribeMetrics = settings.metrics.subscribe((snapshot, point) => {
    io.to(METRICS_PARTITIONS_ROOM).volatile.emit("metrics:snapshot", { snapshot, point });
    io.except(METRICS_PARTITIONS_ROOM).volatile.emit("metrics:snapshot", { snapshot: withoutGroupPartitions(snapshot), point });
  });

  return {
    io,
    detach: () => {
      unsubscribeHealth();
      unsubscribeMetrics();
      unsubscribeTail();
      tailSubscriptions.stop();
      clearInterval(reauthenticate);
    },
  };
}

/**
 * Packets engine.io holds for a connection until its transport can take them. engine.io keeps
 * them in `writeBuffer`, typed private but unchanged since engine.io 3; were it ever missing, the
 * queue reads as empty and batches are sent as to any client.
 */
function queuedPackets(connection: object): number {
  const buffer = (connection as { writeBuffer?: unknown }).writeBuffer;
  return Array.isArray(buffer) ? buffer.length : 0;
}
