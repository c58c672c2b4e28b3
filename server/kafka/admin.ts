import type { Admin } from "kafkajs";
import { withTimeout } from "@/lib/async/timeout";
import type { KafkaClient } from "./client";
import { isConnectionLost } from "./errors";

/** Tries per operation: the first, and one on a fresh connection after a lost one. */
const RUN_ATTEMPTS = 2;
/** Less time than this left before the deadline is not worth a reconnect. */
const MIN_RETRY_MS = 250;

/**
 * A long-lived, lazily connected KafkaJS admin with bounded operations.
 *
 * - connects on first use and reuses the connection (one TCP handshake per broker, not per poll);
 * - every operation has a deadline, so a hung broker cannot stall a health poll or a request;
 * - after any failure the admin is dropped and the next call reconnects: a KafkaJS admin whose
 *   broker went away can otherwise keep stale metadata and half-open sockets.
 */
export class KafkaAdminConnection {
  readonly #client: KafkaClient;
  #admin: Admin | null = null;
  #connecting: Promise<Admin> | null = null;
  /** Bumped on every reset so a connect that finishes after a reset is discarded, not leaked. */
  #generation = 0;

  constructor(client: KafkaClient) {
    this.#client = client;
  }

  get brokers(): readonly string[] {
    return this.#client.brokers;
  }

  /**
   * Runs `operation` with a connected admin; the deadline covers connecting and the operation,
   * and a second try on a fresh admin when the first lost its connection. The operations run here
   * are reads or idempotent writes (offsets set to given values, topics or groups created or
   * deleted), so a second try changes nothing more; at worst it answers that what the first
   * deleted is already gone.
   * Rejects with TimeoutError or the (KafkaJS) error of the operation; never leaves a rejection
   * unobserved.
   */
  async run<T>(what: string, timeoutMs: number, operation: (admin: Admin) => Promise<T>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const attempted = this.#connected().then(operation);
      try {
        return await withTimeout(attempted, Math.max(1, deadline - Date.now()), what);
      } catch (error) {
        // The admin is dropped at once; its disconnect may wait on a hung broker, the caller must not.
        void this.reset();
        // A connection kept from before a broker restarted fails its first request: one more
        // try on a fresh connection, within the same deadline, answers it.
        if (attempt >= RUN_ATTEMPTS || !isConnectionLost(error) || deadline - Date.now() < MIN_RETRY_MS) throw error;
      }
    }
  }

  /** The KafkaJS cluster behind an admin handed to a {@link run} operation (see cluster-metadata.ts). */
  clusterOf(admin: Admin): unknown {
    return this.#client.clusterOf(admin);
  }

  /** Drops the current admin (if any); the next {@link run} connects afresh. */
  async reset(): Promise<void> {
    this.#generation += 1;
    const admin = this.#admin;
    this.#admin = null;
    this.#connecting = null;
    if (admin) await admin.disconnect().catch(() => undefined);
  }

  /** For shutdown: same as {@link reset}. */
  disconnect(): Promise<void> {
    return this.reset();
  }

  #connected(): Promise<Admin> {
    if (this.#admin) return Promise.resolve(this.#admin);
    if (this.#connecting) return this.#connecting;

    const generation = this.#generation;
    const admin = this.#client.admin();
    const connecting = admin.connect().then(
      async () => {
        if (generation !== this.#generation) {
          // Reset while we were connecting (timeout or shutdown): this admin is nobody's.
          await admin.disconnect().catch(() => undefined);
          throw new Error("Kafka admin connection was reset while connecting");
        }
        this.#admin = admin;
        this.#connecting = null;
        return admin;
      },
      async (error: unknown) => {
        if (generation === this.#generation) this.#connecting = null;
        await admin.disconnect().catch(() => undefined);
        throw error;
      },
    );
    this.#connecting = connecting;
    return connecting;
  }
}
