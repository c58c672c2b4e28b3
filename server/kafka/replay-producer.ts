import type { Producer } from "kafkajs";
import { CompressionTypes } from "./kafkajs";
import { withTimeout } from "@/lib/async/timeout";
import type { Logger } from "@/server/log";
import type { KafkaAdminConnection } from "./admin";
import type { KafkaClient } from "./client";

/**
 * The producer of replays: idempotent (acks from all in-sync replicas, one request in flight, so
 * KafkaJS's retries cannot duplicate or reorder records), connected on first use and kept. A send
 * resolves only once Kafka has acknowledged every record of the batch; anything else rejects and
 * the caller counts none of the batch as produced.
 */

/** One send (a batch) waits at most this long for Kafka's acknowledgement, retries included. */
export const REPLAY_SEND_TIMEOUT_MS = 15_000;
// A few quick retries ride out a leader election; a broker that stays away fails the batch well
// within REPLAY_SEND_TIMEOUT_MS, and the action stops with what was acknowledged.
const REPLAY_RETRY = { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 };
const METADATA_TIMEOUT_MS = 5_000;

export interface ReplayRecord {
  /** Text, or the bytes of a record produced again as it was. */
  key: string | Buffer | null;
  /** Null produces a tombstone. */
  value: string | Buffer | null;
  headers: Record<string, string | Buffer>;
}

export class TopicMissingError extends Error {
  constructor(readonly topic: string) {
    super(`topic ${topic} does not exist on Kafka (topics are never created automatically)`);
    this.name = "TopicMissingError";
  }
}

export class ReplayProducer {
  #producer: Producer | null = null;
  #connecting: Promise<Producer> | null = null;

  constructor(
    private readonly client: KafkaClient,
    private readonly admin: KafkaAdminConnection,
    private readonly logger: Logger,
  ) {}

  /** Rejects with {@link TopicMissingError} when the topic does not exist. */
  async checkTopic(topic: string): Promise<void> {
    const topics = await this.admin.run(`listing Kafka topics`, METADATA_TIMEOUT_MS, (admin) => admin.listTopics());
    if (!topics.includes(topic)) throw new TopicMissingError(topic);
  }

  /** Sends a batch; resolves when every record is acknowledged by all in-sync replicas. */
  async send(topic: string, records: readonly ReplayRecord[]): Promise<void> {
    const producer = await this.#connected();
    try {
      await withTimeout(
        producer.send({
          topic,
          acks: -1,
          // Uncompressed, as kcat and Kafka's Java producer send by default: with the request written
          // to its exact size and checksummed natively (produce-request.ts), compressing cost more
          // than it saved on both sides, gzip in the server and the broker's decompressing to
          // validate: 10,000 rows took ~180 ms with gzip, ~160 ms without (medians, a topic in use).
          compression: CompressionTypes.None,
          messages: records.map((record) => ({ key: record.key, value: record.value, headers: record.headers })),
        }),
        REPLAY_SEND_TIMEOUT_MS,
        `producing ${records.length} records to ${topic}`,
      );
    } catch (error) {
      // A producer that failed may hold a broken connection or sequence state: start afresh.
      await this.reset();
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    await this.reset();
  }

  private async reset(): Promise<void> {
    const producer = this.#producer;
    this.#producer = null;
    this.#connecting = null;
    await producer?.disconnect().catch((error: unknown) => this.logger.warn(`replay producer did not disconnect cleanly: ${String(error)}`));
  }

  #connected(): Promise<Producer> {
    if (this.#producer) return Promise.resolve(this.#producer);
    this.#connecting ??= (async () => {
      const producer = this.client.producer({ idempotent: true, maxInFlightRequests: 1, retry: REPLAY_RETRY });
      try {
        await withTimeout(producer.connect(), METADATA_TIMEOUT_MS, "connecting the replay producer");
      } catch (error) {
        this.#connecting = null;
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      this.#producer = producer;
      return producer;
    })();
    return this.#connecting;
  }
}
