import { createRequire } from "node:module";
import type { KafkaMessage } from "kafkajs";
import type { Logger } from "@/server/log";
import type { KafkaClient } from "./client";
import { describeKafkaError } from "./errors";

/**
 * Reads offset ranges of a topic's partitions with plain Fetch requests, the way a Kafka consumer
 * with `assign()` does: no consumer group, so no join (a group join waits
 * `group.initial.rebalance.delay.ms`, 3 s on a default broker), no rebalance, no group left in
 * the cluster's listing, and exact control of what is fetched: each partition is fetched from its
 * next offset and dropped as soon as its range is read, so a scan reads its range plus at most the
 * rest of the last record batch of each partition.
 *
 * KafkaJS has no assign(); this uses its cluster (connections, metadata, broker lookup) and the
 * Batch class that its consumer uses to drop control records and aborted transactions, both
 * internal to KafkaJS 2.2.4, its last release (pinned in package.json).
 */

/** One Fetch response holds at most this much (all partitions); Kafka still returns a first batch larger than this whole. */
export const FETCH_MAX_BYTES = 16 * 1024 * 1024;
/** Per partition and request, for scans: large enough for throughput, small enough that the over-read at a range's end stays a few MB. */
export const FETCH_PARTITION_MAX_BYTES = 2 * 1024 * 1024;
/** The broker waits at most this long for data before answering an empty fetch. */
const FETCH_MAX_WAIT_MS = 250;
/** Metadata refreshes in a row after a leader moved or a broker restarted, before the read fails. */
const MAX_METADATA_RETRIES = 5;
const READ_COMMITTED = 1;
/** Errors after which fresh metadata (a new leader) may help. */
const STALE_METADATA_ERRORS = new Set([
  "NOT_LEADER_FOR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "UNKNOWN_TOPIC_OR_PARTITION",
  "BROKER_NOT_AVAILABLE",
  "REPLICA_NOT_AVAILABLE",
  "FENCED_LEADER_EPOCH",
  "UNKNOWN_LEADER_EPOCH",
  "NOT_CONTROLLER",
]);

interface PartitionData {
  partition: number;
  highWatermark: string;
  messages: KafkaMessage[];
}
interface FetchResponse {
  responses: { topicName: string; partitions: PartitionData[] }[];
}
interface InternalBroker {
  fetch(request: {
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<FetchResponse>;
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: number }): Promise<InternalBroker>;
}
interface InternalBatch {
  /** Records at or after the fetched offset, control records and aborted ones left out. */
  messages: KafkaMessage[];
  /** Records at or after the fetched offset, control records included. */
  messagesWithinOffset: KafkaMessage[];
  rawMessages: KafkaMessage[];
  isEmptyIncludingFiltered(): boolean;
  lastOffset(): string;
}
type BatchConstructor = new (topic: string, fetchedOffset: string, data: PartitionData) => InternalBatch;

const requireFromHere = createRequire(import.meta.url);
const Batch = requireFromHere("kafkajs/src/consumer/batch") as BatchConstructor;

/** [start, end) of one partition. */
export interface FetchRange {
  partition: number;
  start: number;
  end: number;
}

export type ReadStop = "done" | "stopped" | "aborted" | "timeout";

export interface ReadRangesOptions {
  topic: string;
  ranges: readonly FetchRange[];
  /**
   * Receives each partition's records in offset order, only those inside the range. Return false
   * to end the read (a limit was reached); a returned promise is awaited (backpressure).
   */
  onMessages: (partition: number, messages: readonly KafkaMessage[]) => boolean | void | Promise<boolean | void>;
  signal?: AbortSignal;
  /** Epoch ms after which the read ends with "timeout". */
  deadline?: number;
  /** Per partition and request (default FETCH_PARTITION_MAX_BYTES); small reads ask for less. */
  partitionMaxBytes?: number;
}

export interface ReadRangesResult {
  stop: ReadStop;
  /** Records handed to onMessages. */
  delivered: number;
  /** Records fetched from Kafka, inside the ranges or not: delivered plus the over-read. */
  fetched: number;
  /** Next offset to read per partition still unfinished (absent: its range is read). */
  positions: Map<number, number>;
}

export class PartitionFetcher {
  readonly #client: KafkaClient;
  readonly #logger: Logger;
  #cluster: Promise<InternalCluster> | null = null;
  readonly #topics = new Set<string>();

  constructor(client: KafkaClient, logger: Logger) {
    this.#client = client;
    this.#logger = logger;
  }

  async disconnect(): Promise<void> {
    const cluster = this.#cluster;
    this.#cluster = null;
    this.#topics.clear();
    if (cluster) await cluster.then((connected) => connected.disconnect()).catch(() => undefined);
  }

  async #connected(topic: string): Promise<InternalCluster> {
    this.#cluster ??= (async () => {
      const cluster = this.#client.cluster() as InternalCluster;
      await cluster.connect();
      return cluster;
    })();
    let cluster: InternalCluster;
    try {
      cluster = await this.#cluster;
    } catch (error) {
      this.#cluster = null;
      throw error;
    }
    if (!this.#topics.has(topic)) {
      await cluster.addTargetTopic(topic);
      this.#topics.add(topic);
    }
    return cluster;
  }

  /** Reads the ranges, all partitions at once (one Fetch per leader broker), until each is read or the read is stopped. */
  async read(options: ReadRangesOptions): Promise<ReadRangesResult> {
    const { topic } = options;
    const positions = new Map<number, number>();
    const ends = new Map<number, number>();
    for (const range of options.ranges) {
      if (range.start < range.end) {
        positions.set(range.partition, range.start);
        ends.set(range.partition, range.end);
      }
    }
    const partitionMaxBytes = options.partitionMaxBytes ?? FETCH_PARTITION_MAX_BYTES;
    let delivered = 0;
    let fetched = 0;
    let metadataRetries = 0;
    const result = (stop: ReadStop): ReadRangesResult => ({ stop, delivered, fetched, positions });

    const fetchOnce = async (): Promise<{ partition: number; fetchOffset: number; data: PartitionData }[]> => {
      const cluster = await this.#connected(topic);
      const wanted = [...positions.keys()];
      const leaders = cluster.findLeaderForPartitions(topic, wanted);
      const led = new Set(Object.values(leaders).flat());
      const missing = wanted.filter((partition) => !led.has(partition));
      if (missing.length > 0) {
        const error = new Error(`partition ${missing.join(", ")} of ${topic} has no known leader`) as Error & { type: string };
        error.type = "LEADER_NOT_AVAILABLE";
        throw error;
      }
      const waitMs = Math.max(1, Math.min(FETCH_MAX_WAIT_MS, (options.deadline ?? Number.POSITIVE_INFINITY) - Date.now()));
      const responses = await Promise.all(
        Object.entries(leaders).map(async ([nodeId, partitions]) => {
          const broker = await cluster.findBroker({ nodeId: Number(nodeId) });
          const requested = partitions.map((partition) => ({ partition, fetchOffset: positions.get(partition)! }));
          const response = await broker.fetch({
            isolationLevel: READ_COMMITTED,
            maxWaitTime: waitMs,
            minBytes: 1,
            maxBytes: FETCH_MAX_BYTES,
            topics: [{ topic, partitions: requested.map(({ partition, fetchOffset }) => ({ partition, fetchOffset: String(fetchOffset), maxBytes: partitionMaxBytes })) }],
          });
          const byPartition = new Map(response.responses.filter((entry) => entry.topicName === topic).flatMap((entry) => entry.partitions.map((data) => [data.partition, data] as const)));
          return requested.flatMap(({ partition, fetchOffset }) => {
            const data = byPartition.get(partition);
            return data ? [{ partition, fetchOffset, data }] : [];
          });
        }),
      );
      return responses.flat();
    };

    while (positions.size > 0) {
      if (options.signal?.aborted) return result("aborted");
      if (options.deadline !== undefined && Date.now() >= options.deadline) return result("timeout");
      let fetchedPartitions: Awaited<ReturnType<typeof fetchOnce>>;
      try {
        fetchedPartitions = await fetchOnce();
        metadataRetries = 0;
      } catch (error) {
        const type = (error as { type?: unknown }).type;
        const retriable = typeof type === "string" && STALE_METADATA_ERRORS.has(type);
        if (!retriable || ++metadataRetries > MAX_METADATA_RETRIES) {
          if (!retriable) await this.disconnect();
          throw new Error(`reading ${topic} failed: ${describeKafkaError(error)}`, { cause: error });
        }
        this.#logger.warn(`reading ${topic}: ${describeKafkaError(error)}; refreshing metadata (${metadataRetries}/${MAX_METADATA_RETRIES})`);
        const cluster = await this.#connected(topic);
        await cluster.refreshMetadata().catch(() => undefined);
        continue;
      }
      for (const { partition, fetchOffset, data } of fetchedPartitions) {
        const end = ends.get(partition)!;
        const batch = new Batch(topic, String(fetchOffset), data);
        fetched += batch.messagesWithinOffset.length;
        let next = fetchOffset;
        if (!batch.isEmptyIncludingFiltered()) {
          next = Number(batch.lastOffset()) + 1;
        } else if (batch.rawMessages.length > 0) {
          // Only records before the fetched offset (a compressed batch starts earlier): step past them.
          next = Math.max(fetchOffset, Number(batch.rawMessages[batch.rawMessages.length - 1]!.offset) + 1);
        } else if (Number(data.highWatermark) <= fetchOffset) {
          // Nothing more to read: the range ended beyond what the partition holds now.
          next = end;
        }
        if (next >= end) positions.delete(partition);
        else positions.set(partition, next);
        const inRange = batch.messages.length > 0 && Number(batch.messages[batch.messages.length - 1]!.offset) >= end
          ? batch.messages.filter((message) => Number(message.offset) < end)
          : batch.messages;
        if (inRange.length === 0) continue;
        delivered += inRange.length;
        const more = await options.onMessages(partition, inRange);
        if (more === false) return result("stopped");
      }
    }
    return result("done");
  }
}
