import { io, type Socket } from "socket.io-client";
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket";

export type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connection attempts settle within a second on localhost; a loaded machine gets this long. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * A socket.io client as a script (not a browser) would open one, with the headers it chooses:
 * resolves with the connected socket, or with the reason the server refused it.
 */
export function openSocket(baseURL: string, headers: Record<string, string>): Promise<{ socket: RawSocket } | { refused: string }> {
  const socket: RawSocket = io(baseURL, { path: SOCKET_PATH, transports: ["websocket"], extraHeaders: headers, reconnection: false, timeout: CONNECT_TIMEOUT_MS });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket }));
    socket.once("connect_error", (error) => {
      socket.close();
      // A refused handshake: engine.io answers the upgrade with 403 and the reason.
      const description = (error as Error & { description?: unknown }).description;
      resolve({ refused: `${error.message}${description ? ` ${JSON.stringify(description)}` : ""}` });
    });
  });
}
