import { createRequire } from "node:module";
import { setTimeout as delay } from "node:timers/promises";
import type { KafkaMessage } from "kafkajs";
import type { Logger } from "@/server/log";
import type { KafkaClient } from "./client";
import { describeKafkaError, isConnectionLost } from "./errors";

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
export const FETCH_MAX_BYTES = 32 * 1024 * 1024;
/** Per partition and request, for scans: large enough for throughput, small enough that the over-read at a range's end stays a few MB. */
export const FETCH_PARTITION_MAX_BYTES = 4 * 1024 * 1024;
/** The broker waits at most this long for data before answering an empty fetch. */
const FETCH_MAX_WAIT_MS = 250;
/** Metadata refreshes or reconnects in a row after a leader moved or a broker restarted, before the read fails. */
const MAX_METADATA_RETRIES = 5;
const READ_COMMITTED = 1;
/** Wait before reconnect n: n × this (a broker that just restarted is still opening its listener and logs). */
const RECONNECT_BACKOFF_MS = 200;
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
  abortedTransactions?: unknown[];
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
}
type BatchConstructor = new (topic: string, fetchedOffset: string, data: PartitionData) => InternalBatch;

const requireFromHere = createRequire(import.meta.url);
const Batch = requireFromHere("kafkajs/src/consumer/batch") as BatchConstructor;

/**
 * A fetched partition's records at or after the offset asked for (`within`, control records
 * included: they move the position) and those to hand over (`messages`: no control records, no
 * aborted transactions). KafkaJS's Batch does the transactional filtering; without aborted
 * transactions in the response a plain filter does, at a fraction of the cost per record.
 */
function recordsOf(topic: string, fetchOffset: number, data: PartitionData): { within: KafkaMessage[]; messages: KafkaMessage[] } {
  if (data.abortedTransactions && data.abortedTransactions.length > 0) {
    const batch = new Batch(topic, String(fetchOffset), data);
    return { within: batch.messagesWithinOffset, messages: batch.messages };
  }
  const all = data.messages;
  const within = all.length > 0 && Number(all[0]!.offset) >= fetchOffset ? all : all.filter((message) => Number(message.offset) >= fetchOffset);
  let controls = false;
  for (let i = 0; i < within.length; i++) {
    if ((within[i] as { isControlRecord?: boolean }).isControlRecord) {
      controls = true;
      break;
    }
  }
  return { within, messages: controls ? within.filter((message) => !(message as { isControlRecord?: boolean }).isControlRecord) : within };
}

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
    let retries = 0;
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

    const fetchWithRetry = async (): Promise<Awaited<ReturnType<typeof fetchOnce>>> => {
      for (;;) {
        try {
          const fetchedPartitions = await fetchOnce();
          retries = 0;
          return fetchedPartitions;
        } catch (error) {
          const type = (error as { type?: unknown }).type;
          const staleMetadata = typeof type === "string" && STALE_METADATA_ERRORS.has(type);
          // A connection kept from before a broker restarted: a fresh one (a new cluster) may read.
          const connectionLost = !staleMetadata && isConnectionLost(error);
          if (!(staleMetadata || connectionLost) || ++retries > MAX_METADATA_RETRIES) {
            if (!staleMetadata) await this.disconnect();
            throw new Error(`reading ${topic} failed: ${describeKafkaError(error)}`, { cause: error });
          }
          if (connectionLost) {
            this.#logger.warn(`reading ${topic}: ${describeKafkaError(error)}; reconnecting (${retries}/${MAX_METADATA_RETRIES})`);
            await this.disconnect();
            await delay(RECONNECT_BACKOFF_MS * retries);
            continue;
          }
          this.#logger.warn(`reading ${topic}: ${describeKafkaError(error)}; refreshing metadata (${retries}/${MAX_METADATA_RETRIES})`);
          const cluster = await this.#connected(topic);
          await cluster.refreshMetadata().catch(() => undefined);
        }
      }
    };
    const stopReason = (): ReadStop | null => {
      if (options.signal?.aborted) return "aborted";
      if (options.deadline !== undefined && Date.now() >= options.deadline) return "timeout";
      return null;
    };

    let early = stopReason();
    if (early) return result(early);
    if (positions.size === 0) return result("done");
    let next: Promise<Awaited<ReturnType<typeof fetchOnce>>> | null = fetchWithRetry();
    while (next) {
      const fetchedPartitions = await next;
      next = null;
      // Positions first, then the next fetch goes out while this one's records are handled:
      // the broker reads and sends while we decode.
      const handOver: { partition: number; messages: KafkaMessage[] }[] = [];
      for (const { partition, fetchOffset, data } of fetchedPartitions) {
        const end = ends.get(partition)!;
        const { within, messages } = recordsOf(topic, fetchOffset, data);
        fetched += within.length;
        let position = fetchOffset;
        if (within.length > 0) {
          position = Number(within[within.length - 1]!.offset) + 1;
        } else if (data.messages.length > 0) {
          // Only records before the fetched offset (a compressed batch starts earlier): step past them.
          position = Math.max(fetchOffset, Number(data.messages[data.messages.length - 1]!.offset) + 1);
        } else if (Number(data.highWatermark) <= fetchOffset) {
          // Nothing more to read: the range ended beyond what the partition holds now.
          position = end;
        }
        if (position >= end) positions.delete(partition);
        else positions.set(partition, position);
        const inRange = messages.length > 0 && Number(messages[messages.length - 1]!.offset) >= end ? messages.filter((message) => Number(message.offset) < end) : messages;
        if (inRange.length > 0) handOver.push({ partition, messages: inRange });
      }
      early = stopReason();
      if (positions.size > 0 && !early) {
        next = fetchWithRetry();
        // Observed even when the read ends before awaiting it (a limit was reached).
        next.catch(() => undefined);
      }
      for (const { partition, messages } of handOver) {
        delivered += messages.length;
        const more = await options.onMessages(partition, messages);
        if (more === false) return result("stopped");
      }
      if (early) return result(early);
    }
    return result("done");
  }
}
