import { createRequire } from "node:module";
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  decodeListOffsetsResponse,
  decodeOffsetFetchResponse,
  encodeListOffsetsRequest,
  encodeOffsetFetchRequest,
  type PartitionValues,
} from "./offset-codecs";
import { NO_OFFSET } from "./lag";

/**
 * The two reads lag polling makes every second, sent on the brokers of an admin's own KafkaJS
 * cluster (KafkaJS 2.2.4 internals, as in cluster-metadata.ts and partition-fetcher.ts) with the
 * codecs of offset-codecs.ts instead of KafkaJS's:
 * - a group's committed offsets on one topic (what `admin.fetchOffsets` reads), and
 * - a topic's start and end offsets (what `admin.fetchTopicOffsets` reads).
 * KafkaJS still negotiates the version, finds the coordinator and the leaders, keeps the
 * connections and maps error codes to its errors; only the bytes are ours. The results are the
 * same (offsets.int.test.ts compares them with Kafka's own kafka-consumer-groups).
 */

interface SentRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  encode(): Promise<{ buf: Buffer; buffer: Buffer }>;
}
interface ProtocolResponse {
  decode(raw: Buffer): Promise<unknown>;
  parse(data: unknown): Promise<unknown>;
}
interface InternalBroker {
  nodeId: number | null;
  lookupRequest(apiKey: number, definition: unknown): (args: Record<string, unknown>) => { request: { apiKey: number; apiVersion: number; apiName: string } };
  connectionPool: { send(request: { request: SentRequest; response: ProtocolResponse }): Promise<unknown> };
  disconnect(): Promise<void>;
}
interface PartitionMetadata {
  partitionId: number;
  leader: number | null | undefined;
}
/** The parts of KafkaJS 2.2.4's Cluster used here. */
export interface InternalCluster {
  isolationLevel: number;
  findGroupCoordinator(args: { groupId: string }): Promise<InternalBroker>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findBroker(args: { nodeId: number | string }): Promise<InternalBroker>;
}

const requireFromHere = createRequire(import.meta.url);
const API_KEYS = requireFromHere("kafkajs/src/protocol/requests/apiKeys") as { OffsetFetch: number; ListOffsets: number };
const REQUESTS = (requireFromHere("kafkajs/src/protocol/requests") as { requests: { OffsetFetch: unknown; ListOffsets: unknown } }).requests;
const { createErrorFromCode } = requireFromHere("kafkajs/src/protocol/error") as { createErrorFromCode(code: number): Error };
const { KafkaJSError } = requireFromHere("kafkajs") as typeof import("kafkajs");

/** From these versions on (KIP-219) the broker answers before throttling and the client waits instead: KafkaJS's rule. */
const OFFSET_FETCH_CLIENT_THROTTLE_VERSION = 4;
const LIST_OFFSETS_CLIENT_THROTTLE_VERSION = 3;
const UNKNOWN_TOPIC_OR_PARTITION_CODE = 3;
const LEADER_NOT_AVAILABLE_CODE = 5;
/** Errors after which the cluster's metadata is read again and the topic's offsets asked once more: a leader moved. */
const LEADER_MOVED = new Set(["NOT_LEADER_FOR_PARTITION", "LEADER_NOT_AVAILABLE", "UNKNOWN_TOPIC_OR_PARTITION", "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH", "OFFSET_NOT_AVAILABLE"]);

async function send<T extends PartitionValues & { throttleTimeMs: number }>(
  broker: InternalBroker,
  apiKey: number,
  definition: unknown,
  body: (version: number) => Buffer,
  decode: (version: number, raw: Buffer) => T,
  check: (data: T) => void,
  clientThrottleVersion: number,
): Promise<T> {
  // KafkaJS picks the highest version both sides speak; the request it builds is only read for that.
  const { request } = broker.lookupRequest(apiKey, definition)({ groupId: "", topics: [], isolationLevel: 0 });
  const version = request.apiVersion;
  const bytes = body(version);
  try {
    return (await broker.connectionPool.send({
      request: { apiKey: request.apiKey, apiVersion: version, apiName: request.apiName, encode: () => Promise.resolve({ buf: bytes, buffer: bytes }) },
      response: {
        decode: (raw) => {
          const data = decode(version, raw);
          return Promise.resolve(version >= clientThrottleVersion ? { ...data, clientSideThrottleTime: data.throttleTimeMs } : data);
        },
        parse: (data) => {
          check(data as T);
          return Promise.resolve(data);
        },
      },
    })) as T;
  } catch (error) {
    // As KafkaJS's own requests do: a closed connection is reopened on the next request.
    if (error instanceof Error && error.name === "KafkaJSConnectionClosedError") await broker.disconnect().catch(() => undefined);
    throw error;
  }
}

function throwFirstPartitionError(values: PartitionValues): void {
  for (let i = 0; i < values.errorCodes.length; i++) {
    if (values.errorCodes[i] !== 0) throw createErrorFromCode(values.errorCodes[i]!);
  }
}

/**
 * Each group's coordinator (node id) as last found, per cluster. KafkaJS asks for the coordinator
 * before every group request: one more round trip per poll, which on a slow link (300 ms) was
 * most of the poll's deadline. A coordinator moves only when brokers come and go; any failed
 * request to a remembered one forgets it, and the next read asks again.
 */
const coordinators = new WeakMap<InternalCluster, Map<string, number>>();
/** Groups remembered per cluster: the monitored ones and a discovery scan's (at most 500) fit; beyond, the memory starts over. */
export const MAX_REMEMBERED_COORDINATORS = 1_024;

async function coordinatorOf(cluster: InternalCluster, groupId: string): Promise<InternalBroker> {
  let known = coordinators.get(cluster);
  if (!known) coordinators.set(cluster, (known = new Map()));
  const nodeId = known.get(groupId);
  if (nodeId !== undefined) {
    try {
      return await cluster.findBroker({ nodeId });
    } catch {
      known.delete(groupId);
    }
  }
  const broker = await cluster.findGroupCoordinator({ groupId });
  if (broker.nodeId !== null) {
    if (known.size >= MAX_REMEMBERED_COORDINATORS) known.clear();
    known.set(groupId, broker.nodeId);
  }
  return broker;
}

/**
 * The group's committed offset on each of `partitions` of `topic`, indexed by partition number
 * (-1 where it has none, and for numbers not asked), from its coordinator. Throws KafkaJS's
 * protocol errors (e.g. NOT_COORDINATOR_FOR_GROUP while the coordinator moves).
 */
export async function readCommittedOffsets(cluster: InternalCluster, groupId: string, topic: string, partitions: ArrayLike<number>): Promise<Float64Array> {
  const coordinator = await coordinatorOf(cluster, groupId);
  try {
    return await readCommittedOffsetsFrom(coordinator, groupId, topic, partitions);
  } catch (error) {
    coordinators.get(cluster)?.delete(groupId);
    throw error;
  }
}

async function readCommittedOffsetsFrom(coordinator: InternalBroker, groupId: string, topic: string, partitions: ArrayLike<number>): Promise<Float64Array> {
  const result = await send(
    coordinator,
    API_KEYS.OffsetFetch,
    REQUESTS.OffsetFetch,
    () => encodeOffsetFetchRequest(groupId, topic, partitions),
    (version, raw) => decodeOffsetFetchResponse(version, raw, topic),
    (data) => {
      if (data.errorCode !== 0) throw createErrorFromCode(data.errorCode);
      throwFirstPartitionError(data);
    },
    OFFSET_FETCH_CLIENT_THROTTLE_VERSION,
  );
  // An array by partition number rather than a Map: 20 groups × 1,000 partitions a second made
  // 20,000 map entries (and the maps' growth) for the garbage collector every reading. Sized by
  // the partitions asked, so an answer naming others cannot make it grow.
  let size = 0;
  for (let i = 0; i < partitions.length; i++) size = Math.max(size, partitions[i]! + 1);
  const committed = new Float64Array(size).fill(NO_OFFSET);
  for (let i = 0; i < result.partitions.length; i++) {
    const partition = result.partitions[i]!;
    if (partition < size) committed[partition] = result.offsets[i]!;
  }
  return committed;
}

export interface TopicOffsets {
  /** Sorted by partition. */
  partitions: Int32Array;
  /** The first offset still in the log, per partition. */
  starts: Float64Array;
  /** The end offset (next to be written; the last stable one under read_committed), per partition. */
  ends: Float64Array;
}

/** The partitions of `topic` in the cluster's metadata, read when missing or old (as KafkaJS's admin does). */
async function partitionMetadata(cluster: InternalCluster, topic: string): Promise<PartitionMetadata[]> {
  await cluster.addTargetTopic(topic);
  await cluster.refreshMetadataIfNecessary();
  return cluster.findTopicPartitionMetadata(topic);
}

/** The partitions of `topic`, sorted. */
export async function topicPartitions(cluster: InternalCluster, topic: string): Promise<Int32Array> {
  return Int32Array.from(await partitionMetadata(cluster, topic), ({ partitionId }) => partitionId).sort();
}

/** The partitions of `topic`, by leader. */
async function partitionsByLeader(cluster: InternalCluster, topic: string): Promise<Map<number, number[]>> {
  const byLeader = new Map<number, number[]>();
  for (const { partitionId, leader } of await partitionMetadata(cluster, topic)) {
    if (leader === null || leader === undefined || leader < 0) throw createErrorFromCode(LEADER_NOT_AVAILABLE_CODE);
    let list = byLeader.get(leader);
    if (!list) byLeader.set(leader, (list = []));
    list.push(partitionId);
  }
  if (byLeader.size === 0) throw createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION_CODE);
  return byLeader;
}


async function listOffsets(cluster: InternalCluster, topic: string, leader: number, partitions: readonly number[], timestamp: number): Promise<PartitionValues> {
  const broker = await cluster.findBroker({ nodeId: leader });
  return send(
    broker,
    API_KEYS.ListOffsets,
    REQUESTS.ListOffsets,
    (version) => encodeListOffsetsRequest(version, cluster.isolationLevel, topic, partitions, timestamp),
    (version, raw) => decodeListOffsetsResponse(version, raw, topic),
    throwFirstPartitionError,
    LIST_OFFSETS_CLIENT_THROTTLE_VERSION,
  );
}

async function readTopicOffsetsOnce(cluster: InternalCluster, topic: string): Promise<TopicOffsets> {
  const byLeader = await partitionsByLeader(cluster, topic);
  const total = [...byLeader.values()].reduce((sum, list) => sum + list.length, 0);
  // partition → [start, end]; each leader asked for the ends and the starts of its partitions.
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  await Promise.all(
    [...byLeader].flatMap(([leader, partitions]) =>
      [
        [LATEST_TIMESTAMP, ends],
        [EARLIEST_TIMESTAMP, starts],
      ].map(async ([timestamp, into]) => {
        const values = await listOffsets(cluster, topic, leader, partitions, timestamp as number);
        for (let i = 0; i < values.partitions.length; i++) (into as Map<number, number>).set(values.partitions[i]!, values.offsets[i]!);
      }),
    ),
  );
  const partitions = Int32Array.from(ends.keys()).sort();
  if (partitions.length !== total || starts.size !== total) throw new KafkaJSError(`offsets of ${total} partitions of ${topic} asked, ${partitions.length} answered`, { retriable: true });
  const result: TopicOffsets = { partitions, starts: new Float64Array(total), ends: new Float64Array(total) };
  for (let i = 0; i < total; i++) {
    result.starts[i] = starts.get(partitions[i]!)!;
    result.ends[i] = ends.get(partitions[i]!)!;
  }
  return result;
}

/**
 * The start and end offset of every partition of `topic`, each leader asked for its partitions.
 * When a leader moved since the metadata was read, the metadata is read again and the offsets
 * asked once more, as KafkaJS's admin does.
 */
export async function readTopicOffsets(cluster: InternalCluster, topic: string): Promise<TopicOffsets> {
  try {
    return await readTopicOffsetsOnce(cluster, topic);
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    if (typeof type !== "string" || !LEADER_MOVED.has(type)) throw error;
    await cluster.refreshMetadata();
    return readTopicOffsetsOnce(cluster, topic);
  }
}
