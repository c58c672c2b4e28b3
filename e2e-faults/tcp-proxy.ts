import net from "node:net";

/**
 * A TCP proxy on loopback for the network scenario: it forwards a listen port to a target port and
 * can add latency to every chunk (both directions) or cut every connection and refuse new ones,
 * the way a flaky network path between the dashboard and Kafka would.
 */

/** A direction holding more than this in delayed chunks stops reading its source until it drains. */
const MAX_DELAYED_BYTES = 16 * 1024 * 1024;
const LOOPBACK = "127.0.0.1";

export class TcpProxy {
  #server: net.Server;
  #sockets = new Set<net.Socket>();
  #latencyMs = 0;
  #cut = false;

  constructor(
    private readonly listenPort: number,
    private readonly targetPort: number,
  ) {
    this.#server = net.createServer((client) => this.#accept(client));
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(this.listenPort, LOOPBACK, () => resolve());
    });
  }

  /** Every chunk from now on is forwarded this much later, in order. */
  setLatency(ms: number): void {
    this.#latencyMs = ms;
  }

  /** Resets every open connection and refuses (accepts and resets) new ones until {@link heal}. */
  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.resetAndDestroy();
  }

  heal(): void {
    this.#cut = false;
  }

  get connections(): number {
    return this.#sockets.size;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    if (this.#cut) {
      client.resetAndDestroy();
      return;
    }
    const target = net.connect(this.targetPort, LOOPBACK);
    for (const socket of [client, target]) {
      this.#sockets.add(socket);
      // A reset is the point of a cut; either side's error just ends the pair.
      socket.on("error", () => undefined);
      socket.on("close", () => {
        this.#sockets.delete(socket);
        client.destroy();
        target.destroy();
      });
    }
    this.#pipe(client, target);
    this.#pipe(target, client);
  }

  /** Forwards `from` to `to`, each chunk after the current latency, never reordering; reading pauses while `to` is full. */
  #pipe(from: net.Socket, to: net.Socket): void {
    let lastDueAt = 0;
    let delayedBytes = 0;
    let targetFull = false;
    const resumeIfRoom = () => {
      if (!targetFull && delayedBytes <= MAX_DELAYED_BYTES && from.isPaused()) from.resume();
    };
    const forward = (chunk: Buffer) => {
      if (to.destroyed) return;
      if (!to.write(chunk)) {
        targetFull = true;
        from.pause();
      }
    };
    to.on("drain", () => {
      targetFull = false;
      resumeIfRoom();
    });
    from.on("data", (chunk: Buffer) => {
      if (this.#latencyMs === 0 && delayedBytes === 0) {
        forward(chunk);
        return;
      }
      const dueAt = Math.max(Date.now() + this.#latencyMs, lastDueAt);
      lastDueAt = dueAt;
      delayedBytes += chunk.length;
      if (delayedBytes > MAX_DELAYED_BYTES) from.pause();
      setTimeout(() => {
        delayedBytes -= chunk.length;
        forward(chunk);
        resumeIfRoom();
      }, dueAt - Date.now());
    });
    from.on("end", () => setTimeout(() => to.end(), Math.max(0, lastDueAt - Date.now())));
  }
}
