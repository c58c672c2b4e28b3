import { createRequire } from "node:module";
import { z } from "zod";
import type { KafkaAdminConnection } from "./admin";
import { ConfigResourceTypes } from "./kafkajs";

/**
 * The cluster's metadata for some topics in one Metadata request: the live brokers, the controller,
 * and each partition's leader, replicas and in-sync replicas.
 *
 * KafkaJS's Admin cannot give this in one request: describeCluster asks for no topic and
 * fetchTopicMetadata drops the broker list; and KafkaJS's response parser throws at the first
 * partition error, so a partition without a leader (LEADER_NOT_AVAILABLE), the very thing to
 * report, would make the whole answer an error. The request is therefore sent on a broker of the
 * admin's own cluster (KafkaJS 2.2.4 internals, as in partition-fetcher.ts) with a parser that keeps
 * the errors as data. With the Metadata versions KafkaJS speaks (v1 and later) a live leader with a
 * replica on a dead broker is not an error: the replica lists are complete, the ISR says who is in sync.
 */

/** A broker the metadata lists, i.e. a live (registered, unfenced) one. */
export interface LiveBroker {
  nodeId: number;
  host: string;
  port: number;
}

export interface PartitionMetadata {
  partition: number;
  /** Kafka's error code for the partition: 0, or e.g. 5 (LEADER_NOT_AVAILABLE) when it has no leader. */
  errorCode: number;
  /** -1 when the partition has no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicMetadata {
  topic: string;
  /** Kafka's error code for the topic: 0, or e.g. 3 (UNKNOWN_TOPIC_OR_PARTITION) when it does not exist. */
  errorCode: number;
  partitions: PartitionMetadata[];
}

export interface ClusterMetadata {
  brokers: LiveBroker[];
  controller: number | null;
  clusterId: string | null;
  topics: TopicMetadata[];
}

/** What KafkaJS 2.2.4 decodes a Metadata response (v1–v6) into; checked, since it is internal. */
const rawMetadataSchema = z.object({
  brokers: z.array(z.object({ nodeId: z.number().int(), host: z.string(), port: z.number().int() })),
  clusterId: z.string().nullable().optional(),
  controllerId: z.number().int().optional(),
  topicMetadata: z.array(
    z.object({
      topicErrorCode: z.number().int(),
      topic: z.string(),
      partitionMetadata: z.array(
        z.object({
          partitionErrorCode: z.number().int(),
          partitionId: z.number().int(),
          leader: z.number().int(),
          replicas: z.array(z.number().int()),
          isr: z.array(z.number().int()),
        }),
      ),
    }),
  ),
});

interface ProtocolResponse {
  decode(raw: Buffer): Promise<unknown>;
  parse(data: unknown): Promise<unknown>;
}
interface ProtocolRequest {
  request: unknown;
  response: ProtocolResponse;
}
interface InternalBroker {
  lookupRequest(apiKey: number, definition: unknown): (args: { topics: string[]; allowAutoTopicCreation: boolean }) => ProtocolRequest;
  connectionPool: { send(request: ProtocolRequest): Promise<unknown> };
}
interface InternalCluster {
  brokerPool: { findConnectedBroker(): Promise<InternalBroker> };
}

const requireFromHere = createRequire(import.meta.url);
const API_KEYS = requireFromHere("kafkajs/src/protocol/requests/apiKeys") as { Metadata: number };
const REQUESTS = (requireFromHere("kafkajs/src/protocol/requests") as { requests: { Metadata: unknown } }).requests;

/** Kafka's "no controller known" and "no leader" node id. */
const NO_NODE = -1;
/**
 * Brokers asked in turn: one that died since the last request is seen as disconnected only once a
 * request to it failed, and the next connected broker then answers.
 */
const METADATA_ATTEMPTS = 2;

async function sendMetadataRequest(cluster: InternalCluster, topics: readonly string[]): Promise<unknown> {
  let lastError: unknown;
  for (let attempt = 0; attempt < METADATA_ATTEMPTS; attempt++) {
    try {
      // A connected broker of the cluster's metadata, else the seed broker from the bootstrap list.
      const broker = await cluster.brokerPool.findConnectedBroker();
      const build = broker.lookupRequest(API_KEYS.Metadata, REQUESTS.Metadata);
      const protocolRequest = build({ topics: [...topics], allowAutoTopicCreation: false });
      return await broker.connectionPool.send({ ...protocolRequest, response: { ...protocolRequest.response, parse: (data) => Promise.resolve(data) } });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** One Metadata request for `topics` through the shared admin connection, with a deadline. */
export function readClusterMetadata(connection: KafkaAdminConnection, topics: readonly string[], timeoutMs: number): Promise<ClusterMetadata> {
  return connection.run(`Kafka (metadata of ${topics.length === 1 ? topics[0] : `${topics.length} topics`})`, timeoutMs, async (admin) => {
    const raw = rawMetadataSchema.parse(await sendMetadataRequest(connection.clusterOf(admin) as InternalCluster, topics));
    return {
      brokers: raw.brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })).sort((a, b) => a.nodeId - b.nodeId),
      controller: raw.controllerId === undefined || raw.controllerId === NO_NODE ? null : raw.controllerId,
      clusterId: raw.clusterId || null,
      topics: raw.topicMetadata.map((t) => ({
        topic: t.topic,
        errorCode: t.topicErrorCode,
        partitions: t.partitionMetadata
          .map((p) => ({ partition: p.partitionId, errorCode: p.partitionErrorCode, leader: p.leader, replicas: p.replicas, isr: p.isr }))
          .sort((a, b) => a.partition - b.partition),
      })),
    };
  });
}

const MIN_INSYNC_REPLICAS = "min.insync.replicas";

/** Each topic's min.insync.replicas (topics whose setting did not come back are left out). */
export function readMinInsyncReplicas(connection: KafkaAdminConnection, topics: readonly string[], timeoutMs: number): Promise<Map<string, number>> {
  return connection.run(`Kafka (${MIN_INSYNC_REPLICAS} of ${topics.length} topics)`, timeoutMs, async (admin) => {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [MIN_INSYNC_REPLICAS] })),
    });
    const byTopic = new Map<string, number>();
    for (const resource of resources) {
      if (resource.errorCode !== 0) continue;
      const value = Number(resource.configEntries.find((entry) => entry.configName === MIN_INSYNC_REPLICAS)?.configValue);
      if (Number.isInteger(value) && value > 0) byTopic.set(resource.resourceName, value);
    }
    return byTopic;
  });
}
