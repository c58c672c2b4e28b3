import type { HealthReport } from "./health";
import type { HistoryPoint, MetricsSnapshot } from "./metrics";
import type { Principal } from "./auth";
import type { ActionProgress } from "./outbox";
import type { TailBatch } from "./tail";
import type { SearchProgress } from "./messages";

/**
 * The typed socket.io contract. Both ends import these maps so an event's name and payload cannot
 * drift apart: `new Server<ClientToServerEvents, ServerToClientEvents>` on the server,
 * `Socket<ServerToClientEvents, ClientToServerEvents>` in the browser.
 */

/** Path of the socket.io endpoint; the default, named so both ends agree explicitly. */
export const SOCKET_PATH = "/socket.io";

export interface ServerToClientEvents {
  /** The latest health report: sent once on connect, then after every poll. */
  health: (report: HealthReport) => void;
  /** Once a second: the pipeline's numbers and the chart point of that second (volatile). */
  "metrics:snapshot": (update: { snapshot: MetricsSnapshot; point: HistoryPoint }) => void;
  /** On connect (and so after every reconnect): the last 15 minutes, oldest first, so charts are full at first paint. */
  "metrics:history": (points: HistoryPoint[]) => void;
  /** To subscribers of the live tail: the newest records, a few times a second at most; a client with packets queued skips batches. */
  "tail:batch": (batch: TailBatch) => void;
  /** To watchers of an outbox action (`action:watch`): its progress, a few times a second at most, and once more when it ends. */
  "action:progress": (progress: ActionProgress) => void;
  /** To watchers of a message search (`search:watch`): its progress, a few times a second at most, and once more when it ends. */
  "search:progress": (progress: SearchProgress) => void;
  /** A client event the server refused (invalid payload): which event and why. */
  "request:error": (error: { event: string; message: string }) => void;
}

/**
 * What browsers send. Payloads are typed `unknown` on purpose: the server validates each with its
 * zod schema (lib/contracts/tail.ts …) before acting, whatever a client claims to send.
 */
export interface ClientToServerEvents {
  /** Start receiving `tail:batch`. */
  "tail:subscribe": (options?: unknown) => void;
  "tail:unsubscribe": () => void;
  /** Start receiving `action:progress` for one action (`{ actionId }`); the current state is sent at once. */
  "action:watch": (options: unknown) => void;
  "action:unwatch": (options: unknown) => void;
  /** Start receiving `metrics:snapshot` with every group's partitions (the consumers page); others get `groupPartitions: "omitted"`. */
  "metrics:partitions:subscribe": () => void;
  "metrics:partitions:unsubscribe": () => void;
  /** Start receiving `search:progress` for one search (`{ searchId }`); the current state is sent at once. */
  "search:watch": (options: unknown) => void;
  "search:unwatch": (options: unknown) => void;
}

export type InterServerEvents = Record<string, never>;

/** Per-connection state the server keeps: who is connected, set when the handshake is authenticated. */
export interface SocketData {
  principal?: Principal;
}
