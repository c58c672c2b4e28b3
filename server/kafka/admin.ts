import type { Admin } from "kafkajs";
import { withTimeout } from "@/lib/async/timeout";
import type { KafkaBroker } from "@/lib/contracts/health";
import type { KafkaClient } from "./client";

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
   * Runs `operation` with a connected admin; the deadline covers connecting and the operation.
   * Rejects with TimeoutError or the (KafkaJS) error of the operation; never leaves a rejection
   * unobserved.
   */
  async run<T>(what: string, timeoutMs: number, operation: (admin: Admin) => Promise<T>): Promise<T> {
    const attempt = this.#connected().then(operation);
    try {
      return await withTimeout(attempt, timeoutMs, what);
    } catch (error) {
      // The admin is dropped at once; its disconnect may wait on a hung broker, the caller must not.
      void this.reset();
      throw error;
    }
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

export interface KafkaClusterDescription {
  brokers: KafkaBroker[];
  controller: number | null;
  clusterId: string | null;
}

export function describeKafkaCluster(connection: KafkaAdminConnection, timeoutMs: number): Promise<KafkaClusterDescription> {
  return connection.run("Kafka (describeCluster)", timeoutMs, async (admin) => {
    const { brokers, controller, clusterId } = await admin.describeCluster();
    return {
      brokers: brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })).sort((a, b) => a.nodeId - b.nodeId),
      controller: controller ?? null,
      clusterId: clusterId || null,
    };
  });
}
