import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/** How often a rate-limited run tops up what it has written: fine enough for an even rate at thousands per second. */
const RATE_TICK_MS = 10;

/**
 * A long-running `kcat -P` fed line by line (key TAB value): librdkafka produces at a fraction of
 * the CPU a Node producer would take, leaving the cores to what a bench measures. Records are
 * timestamped (CreateTime) by librdkafka when it accepts them, which is when they are written here
 * within a millisecond or two (linger 1 ms) of when kcat reads them. kcat reads its input in
 * blocks, not line by line: a line can wait in its buffer until more input comes or the input
 * ends (three short lines written a second apart reached the topic only at close()). At a steady
 * rate that is a few milliseconds, and CreateTime is set after it, so latencies from the Kafka
 * timestamp do not include it; a bench that needs its last records on the topic calls close().
 */
export class KcatProducer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<number | null>;
  #written = 0;

  constructor(brokers: string, topic: string) {
    this.#child = spawn("kcat", ["-P", "-b", brokers, "-t", topic, "-K", "\t", "-X", "linger.ms=1", "-X", "queue.buffering.max.messages=1000000"], { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`kcat: ${chunk.toString()}`));
    this.#exited = new Promise((resolve, reject) => {
      this.#child.once("error", reject);
      this.#child.once("exit", (code) => resolve(code));
    });
  }

  get written(): number {
    return this.#written;
  }

  /** Writes one record; resolves when kcat's stdin can take more. Keys and values must not contain tabs or newlines (JSON does not). */
  async send(key: string, value: string): Promise<void> {
    this.#written += 1;
    if (!this.#child.stdin.write(`${key}\t${value}\n`)) await new Promise<void>((resolve) => this.#child.stdin.once("drain", () => resolve()));
  }

  /**
   * Produces `rate` records a second until `signal` aborts or `durationMs` passes, each made by
   * `make(i)`. Returns the number written.
   */
  async produceAtRate(options: { rate: number; durationMs: number; signal?: AbortSignal; make: (i: number) => { key: string; value: string } }): Promise<number> {
    const started = performance.now();
    let sent = 0;
    while (!options.signal?.aborted) {
      const elapsed = performance.now() - started;
      if (elapsed >= options.durationMs) break;
      const due = Math.floor((elapsed / 1000) * options.rate);
      while (sent < due) {
        const { key, value } = options.make(sent);
        await this.send(key, value);
        sent += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, RATE_TICK_MS));
    }
    return sent;
  }

  /** Flushes what kcat holds and waits for it to exit. */
  async close(): Promise<void> {
    this.#child.stdin.end();
    const code = await this.#exited;
    if (code !== 0) throw new Error(`kcat -P exited with ${code}`);
  }
}
