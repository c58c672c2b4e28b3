import type { HealthReport } from "./health";
import type { HistoryPoint, MetricsSnapshot } from "./metrics";

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
}

/**
 * Browsers send nothing yet. When they do, each event's payload gets a zod schema here and the
 * server validates it before acting.
 */
export type ClientToServerEvents = Record<string, never>;

export type InterServerEvents = Record<string, never>;

/** Per-connection state the server keeps; empty until sessions arrive. */
export type SocketData = Record<string, never>;
