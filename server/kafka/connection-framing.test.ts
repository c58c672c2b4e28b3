import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { installConnectionFramingFix, type ConnectionLike } from "./connection-framing";

const requireHere = createRequire(import.meta.url);
type KafkaJsConnection = ConnectionLike & {
  connectionStatus: string;
  disconnect(): Promise<boolean>;
  requestQueue: { fulfillRequest(response: { correlationId: number; size: number; payload: Buffer }): void };
};
const Connection = requireHere("kafkajs/src/network/connection.js") as new (options: object) => KafkaJsConnection;

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const logger = { namespace: () => silent };

/** A socket that connects at once and takes what the test emits as the broker's bytes. */
class FakeSocket extends EventEmitter {
  destroyedWith: Error | null = null;
  constructor(onConnect: () => void) {
    super();
    setImmediate(onConnect);
  }
  write(): boolean {
    return true;
  }
  end(): void {}
  unref(): void {}
  destroy(error?: Error): void {
    this.destroyedWith = error ?? null;
    if (error) this.emit("error", error);
  }
}

/** A connection on fake sockets, recording the correlation ids of the responses it cuts from the stream. */
function connection(): { connection: KafkaJsConnection; sockets: FakeSocket[]; responses: number[] } {
  const sockets: FakeSocket[] = [];
  const responses: number[] = [];
  const made = new Connection({
    host: "broker",
    port: 9092,
    logger,
    requestTimeout: 30_000,
    connectionTimeout: 1_000,
    socketFactory: ({ onConnect }: { onConnect: () => void }) => {
      const socket = new FakeSocket(onConnect);
      sockets.push(socket);
      return socket;
    },
  });
  made.requestQueue.fulfillRequest = ({ correlationId }) => void responses.push(correlationId);
  return { connection: made, sockets, responses };
}

/** A response frame: its size, its correlation id, then `payloadBytes` bytes. */
function frame(correlationId: number, payloadBytes = 6): Buffer {
  const buffer = Buffer.alloc(8 + payloadBytes, 0x41);
  buffer.writeInt32BE(4 + payloadBytes, 0);
  buffer.writeInt32BE(correlationId, 4);
  return buffer;
}

describe("KafkaJS connection framing", () => {
  it("as KafkaJS 2.2.4 ships it, a reconnected connection reads a closed socket's partial response into the new stream", async () => {
    const { connection: kafka, sockets, responses } = connection();
    await kafka.connect();
    sockets[0]!.emit("data", frame(1).subarray(0, 5));
    await kafka.disconnect();
    await kafka.connect();
    // The new socket's first response is read as the rest of the old one: its id is lost.
    sockets[1]!.emit("data", frame(2));
    expect(responses).not.toEqual([2]);
  });

  it("once fixed, starts each new socket with empty framing, and ignores the old socket's late bytes", async () => {
    installConnectionFramingFix();
    const { connection: kafka, sockets, responses } = connection();
    await kafka.connect();
    sockets[0]!.emit("data", frame(1));
    sockets[0]!.emit("data", frame(2).subarray(0, 5));
    await kafka.disconnect();
    await kafka.connect();
    sockets[1]!.emit("data", frame(3));
    // The old socket delivers the rest of its response late, and then a whole one.
    sockets[0]!.emit("data", frame(2).subarray(5));
    sockets[0]!.emit("data", frame(4));
    sockets[1]!.emit("data", Buffer.concat([frame(5), frame(6, 100).subarray(0, 20)]));
    sockets[1]!.emit("data", frame(6, 100).subarray(20));
    expect(responses).toEqual([1, 3, 5, 6]);
  });

  it("once fixed, a response too short to hold its correlation id ends the socket with an error instead of throwing", async () => {
    installConnectionFramingFix();
    const { connection: kafka, sockets, responses } = connection();
    await kafka.connect();
    const tooShort = Buffer.from([0, 0, 0, 2, 0x41, 0x41]);
    expect(() => sockets[0]!.emit("data", tooShort)).not.toThrow();
    expect(sockets[0]!.destroyedWith?.message).toMatch(/^a response could not be read \(/);
    expect(responses).toEqual([]);
    // The error disconnects the connection, which starts afresh on its next socket.
    await vi.waitFor(() => expect(kafka.connectionStatus).toBe("disconnected"));
    await kafka.connect();
    sockets[1]!.emit("data", frame(7));
    expect(responses).toEqual([7]);
  });
});
