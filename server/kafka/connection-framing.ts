import { createRequire } from "node:module";
import type { Socket } from "node:net";

/**
 * KafkaJS 2.2.4 (its last release) cuts a connection's byte stream into responses with state it
 * sets once, when the Connection object is made (`chunks`, `bytesBuffered`, `bytesNeeded`), and
 * never again: a connection that reconnects after its socket was closed in the middle of a
 * response keeps the partial response and reads the new socket's first bytes as its remainder.
 * The old socket's data listener also stays attached, so bytes it still delivers after a
 * reconnect (a slow network path) land in the new stream. Either way the framing is lost: a
 * response's size is read from the middle of another, and a size under four bytes makes its
 * correlation id a read past the end of a buffer, thrown from the socket's data event as an
 * uncaught exception (seen with a proxy adding latency, then cutting connections).
 *
 * This fix, installed on KafkaJS's Connection class:
 * - starts each new socket with empty framing state;
 * - passes a socket's data on only while it is the connection's current socket;
 * - turns an error while cutting responses into a connection error: the socket is destroyed, its
 *   requests fail and the connection reconnects, as on any other network error.
 */

const requireFromHere = createRequire(import.meta.url);
const CONNECTION = "kafkajs/src/network/connection.js";
/** Bytes of a response's size prefix: KafkaJS's Decoder.int32Size(). */
const SIZE_PREFIX_BYTES = 4;

export interface ConnectionLike {
  socket: Socket | null | undefined;
  chunks: Buffer[];
  bytesBuffered: number;
  bytesNeeded: number;
  isConnected(): boolean;
  connect(): Promise<boolean>;
}

/** Marks KafkaJS's Connection class once fixed. */
const FIXED = Symbol("outbox-lens connection framing fix");
/** Sockets whose data listeners are already guarded. */
const guarded = new WeakSet<Socket>();

/** Empties the state a connection cuts responses with. */
function resetFraming(connection: ConnectionLike): void {
  connection.chunks = [];
  connection.bytesBuffered = 0;
  connection.bytesNeeded = SIZE_PREFIX_BYTES;
}

/** Wraps the socket's data listeners (KafkaJS's `onData`) so they hear it only while it is the connection's socket, and never throw. */
function guardSocket(connection: ConnectionLike, socket: Socket): void {
  if (guarded.has(socket)) return;
  guarded.add(socket);
  const listeners = socket.listeners("data") as Array<(data: Buffer) => void>;
  socket.removeAllListeners("data");
  socket.on("data", (data: Buffer) => {
    if (connection.socket !== socket) return;
    try {
      for (const listener of listeners) listener(data);
    } catch (error) {
      // The next socket starts with empty framing (connect); this one delivers nothing more.
      socket.destroy(new Error(`a response could not be read (${error instanceof Error ? error.message : String(error)})`));
    }
  });
}

/** Replaces `connect` on KafkaJS's Connection class (every connection, existing or not); idempotent. */
export function installConnectionFramingFix(): void {
  const Connection = requireFromHere(CONNECTION) as { prototype: ConnectionLike & { [FIXED]?: true } };
  if (Connection.prototype[FIXED]) return;
  const connect = Connection.prototype.connect;
  Connection.prototype.connect = function (this: ConnectionLike): Promise<boolean> {
    const fresh = !this.isConnected();
    if (fresh) resetFraming(this);
    // KafkaJS creates the socket synchronously, inside the promise's executor.
    const connecting = connect.call(this);
    if (fresh && this.socket) guardSocket(this, this.socket);
    return connecting;
  };
  Connection.prototype[FIXED] = true;
}
