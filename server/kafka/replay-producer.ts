import { randomInt } from "node:crypto";
import type { Message, Producer } from "kafkajs";
import { CompressionTypes, ConfigResourceTypes } from "./kafkajs";
import { withTimeout } from "@/lib/async/timeout";
import { describeError } from "@/lib/errors/describe-error";
import type { Logger } from "@/server/log";
import type { KafkaAdminConnection } from "./admin";
import type { KafkaClient } from "./client";
import { planReplayRequests, type ReplayRecord } from "./replay-requests";

/**
 * The producer of replays: idempotent (acks from all in-sync replicas, one request in flight, so
 * KafkaJS's retries cannot duplicate or reorder records), one per topic, connected on first use and kept. A send
 * resolves only once Kafka has acknowledged every record of the batch; anything else rejects and
 * the caller counts as produced only the records acknowledged before the failure.
 */

/** Each produce request of a send waits at most this long for Kafka's acknowledgement, retries included. */
export const REPLAY_SEND_TIMEOUT_MS = 15_000;
// A few quick retries ride out a leader election; a broker that stays away fails the batch well
// within REPLAY_SEND_TIMEOUT_MS, and the action stops with what was acknowledged.
const REPLAY_RETRY = { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 };
const METADATA_TIMEOUT_MS = 5_000;

export type { ReplayRecord } from "./replay-requests";

/** What sending to a topic needs to know of it, read by {@link ReplayProducer.checkTopic}. */
export interface ReplayTopic {
  name: string;
  partitions: number;
  /** The topic's max.message.bytes: the largest record batch of one partition Kafka accepts. */
  maxBatchBytes: number;
}

export class TopicMissingError extends Error {
  constructor(readonly topic: string) {
    super(`topic ${topic} does not exist on Kafka (topics are never created automatically)`);
    this.name = "TopicMissingError";
  }
}

/** A send that failed after Kafka had acknowledged its first `acknowledged` records (its earlier requests). */
export class ReplaySendError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly cause: unknown,
  ) {
    super(describeError(cause));
    this.name = "ReplaySendError";
  }
}

const MAX_MESSAGE_BYTES = "max.message.bytes";

export class ReplayProducer {
  /**
   * A producer per destination topic. KafkaJS refreshes the metadata of every topic a producer
   * ever sent to, and fails the send when one of them was deleted since: one shared producer
   * failed every replay after a replay topic was deleted. The topics are the outbox topic and
   * REPLAY_TOPICS, so the map is bounded by the configuration.
   */
  readonly #producers = new Map<string, Promise<Producer>>();
  /** Round-robin over the partitions for records without a key, as Kafka's partitioner does. */
  #unkeyed = randomInt(2 ** 31 - 1);

  constructor(
    private readonly client: KafkaClient,
    private readonly admin: KafkaAdminConnection,
    private readonly logger: Logger,
  ) {}

  /**
   * The topic's partitions and record batch limit, read when an action starts (a topic's settings
   * may change between actions). Rejects with {@link TopicMissingError} when the topic does not exist.
   */
  async checkTopic(topic: string): Promise<ReplayTopic> {
    // A missing topic is an answer, not a failure of the admin (whose failures drop its connection).
    const read = await this.admin.run(`reading topic ${topic}`, METADATA_TIMEOUT_MS, async (admin) => {
      // Three requests at once; the other two fail for a missing topic, which the list tells.
      const [topics, metadata, configs] = await Promise.allSettled([
        admin.listTopics(),
        admin.fetchTopicMetadata({ topics: [topic] }),
        admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [MAX_MESSAGE_BYTES] }] }),
      ]);
      if (topics.status === "rejected") throw topics.reason;
      if (!topics.value.includes(topic)) return null;
      if (metadata.status === "rejected") throw metadata.reason;
      if (configs.status === "rejected") throw configs.reason;
      return {
        partitions: metadata.value.topics.find((entry) => entry.name === topic)?.partitions.length ?? 0,
        maxBatchBytes: Number(configs.value.resources[0]?.configEntries.find((entry) => entry.configName === MAX_MESSAGE_BYTES)?.configValue),
      };
    });
    if (!read) throw new TopicMissingError(topic);
    if (read.partitions === 0) throw new Error(`Kafka returned no partitions for topic ${topic}`);
    if (!Number.isInteger(read.maxBatchBytes) || read.maxBatchBytes <= 0) throw new Error(`Kafka returned no ${MAX_MESSAGE_BYTES} for topic ${topic}`);
    return { name: topic, ...read };
  }

  /**
   * Sends a batch, in as many produce requests as the topic's limits need (replay-requests.ts),
   * one after the other; resolves when every record is acknowledged by all in-sync replicas.
   * Rejects with {@link RecordTooLargeError} before sending anything when a record is too large
   * for the topic, and with {@link ReplaySendError} (how many records Kafka acknowledged first)
   * when a request fails.
   */
  async send(topic: ReplayTopic, records: readonly ReplayRecord[]): Promise<void> {
    const partitions: number[] = new Array<number>(records.length);
    const requests = planReplayRequests(records, topic.partitions, topic.maxBatchBytes, () => (this.#unkeyed = (this.#unkeyed + 1) & 0x7fffffff) % topic.partitions, partitions);
    for (const { from, to } of requests) {
      try {
        const producer = await this.#connected(topic.name);
        const messages = new Array<Message>(to - from);
        for (let i = from; i < to; i++) {
          const record = records[i]!;
          messages[i - from] = { key: record.key, value: record.value, headers: record.headers, partition: partitions[i] };
        }
        await withTimeout(
          producer.send({
            topic: topic.name,
            acks: -1,
            // Uncompressed, as kcat and Kafka's Java producer send by default: with the request written
            // to its exact size and checksummed natively (produce-request.ts), compressing cost more
            // than it saved on both sides, gzip in the server and the broker's decompressing to
            // validate: 10,000 rows took ~180 ms with gzip, ~160 ms without (medians, a topic in use).
            compression: CompressionTypes.None,
            messages,
          }),
          REPLAY_SEND_TIMEOUT_MS,
          `producing ${to - from} records to ${topic.name}`,
        );
      } catch (error) {
        // A producer that failed may hold a broken connection or sequence state: start afresh.
        await this.reset(topic.name);
        throw new ReplaySendError(from, error);
      }
    }
  }

  async disconnect(): Promise<void> {
    await Promise.all([...this.#producers.keys()].map((topic) => this.reset(topic)));
  }

  private async reset(topic: string): Promise<void> {
    const connecting = this.#producers.get(topic);
    this.#producers.delete(topic);
    const producer = await connecting?.catch(() => null);
    await producer?.disconnect().catch((error: unknown) => this.logger.warn(`replay producer of ${topic} did not disconnect cleanly: ${String(error)}`));
  }

  #connected(topic: string): Promise<Producer> {
    let connecting = this.#producers.get(topic);
    if (connecting) return connecting;
    connecting = (async () => {
      const producer = this.client.producer({ idempotent: true, maxInFlightRequests: 1, retry: REPLAY_RETRY });
      try {
        await withTimeout(producer.connect(), METADATA_TIMEOUT_MS, `connecting the replay producer of ${topic}`);
      } catch (error) {
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      return producer;
    })();
    this.#producers.set(topic, connecting);
    connecting.catch(() => {
      if (this.#producers.get(topic) === connecting) this.#producers.delete(topic);
    });
    return connecting;
  }
}
