import { z } from "zod";

/**
 * The health contract shared by the server (which produces reports), GET /api/health, the socket
 * `health` event and the browser (which validates what it receives before rendering it).
 */

/** One pipeline component is either usable for the pipeline ("up") or not ("down"). */
export const componentStatusSchema = z.enum(["up", "down"]);
export type ComponentStatus = z.infer<typeof componentStatusSchema>;

/** "degraded" as soon as any component is down. */
export const overallStatusSchema = z.enum(["ok", "degraded"]);
export type OverallStatus = z.infer<typeof overallStatusSchema>;

const componentBase = {
  status: componentStatusSchema,
  /** Wall time the check took, including a timeout when the component did not answer. */
  latencyMs: z.number().nonnegative(),
  /** Why the component is down, in one operator-readable sentence. Absent when up. */
  error: z.string().optional(),
};

export const postgresDetailSchema = z.object({
  /** host:port/database of the configured server; never carries credentials. */
  target: z.string(),
  /** `server_version` as PostgreSQL reports it; null when the server did not answer. */
  serverVersion: z.string().nullable(),
  /** The configured schema-qualified outbox table. */
  outboxTable: z.string(),
  /** Whether that table exists and is visible to our user; null when it could not be checked. */
  outboxTableFound: z.boolean().nullable(),
});
export type PostgresDetail = z.infer<typeof postgresDetailSchema>;

export const kafkaBrokerSchema = z.object({
  nodeId: z.number().int(),
  host: z.string(),
  port: z.number().int(),
});
export type KafkaBroker = z.infer<typeof kafkaBrokerSchema>;

/** A broker the cluster is expected to have but whose metadata does not list it. */
export const missingBrokerSchema = z.object({
  nodeId: z.number().int(),
  /** host:port when this dashboard saw the broker earlier; null when it only appears in replica lists. */
  lastSeenAt: z.string().nullable(),
});
export type MissingBroker = z.infer<typeof missingBrokerSchema>;

/** One partition of a watched topic that is under-replicated or offline. */
export const degradedPartitionSchema = z.object({
  topic: z.string(),
  partition: z.number().int(),
  /** null: no leader (the partition is offline: nothing can be written to it or read from it). */
  leader: z.number().int().nullable(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
});
export type DegradedPartition = z.infer<typeof degradedPartitionSchema>;

/**
 * The replication state of the watched topics (the outbox topic and any replay topics), from the
 * same metadata answer as the broker list.
 */
export const kafkaReplicationSchema = z.object({
  /** The watched topics the cluster has (a replay topic that does not exist is left out). */
  topics: z.array(z.string()),
  /**
   * Broker ids the cluster is expected to have: the live ones, those in some partition's replica
   * list, and those this dashboard saw earlier in its life.
   */
  expectedBrokers: z.array(z.number().int()),
  /** Expected brokers the metadata does not list: down, fenced or cut off. */
  missingBrokers: z.array(missingBrokerSchema),
  /** Partitions of the watched topics. */
  partitions: z.number().int().nonnegative(),
  /** Partitions whose in-sync replicas are fewer than their replicas. */
  underReplicated: z.number().int().nonnegative(),
  /** Partitions without a leader. */
  offline: z.number().int().nonnegative(),
  /**
   * Partitions with a leader whose in-sync replicas are fewer than the topic's min.insync.replicas
   * (producers with acks=all, Kafka Connect's default, are refused); null when that setting could
   * not be read.
   */
  belowMinIsr: z.number().int().nonnegative().nullable(),
  /** The under-replicated and offline partitions, the first few (see MAX_DEGRADED_PARTITIONS_LISTED). */
  degradedPartitions: z.array(degradedPartitionSchema),
});
export type KafkaReplication = z.infer<typeof kafkaReplicationSchema>;

export const kafkaDetailSchema = z.object({
  /** The configured bootstrap list, so a down report still says what was tried. */
  bootstrapBrokers: z.array(z.string()),
  /** Brokers the cluster advertises in its metadata (the live ones); empty when it did not answer. */
  brokers: z.array(kafkaBrokerSchema),
  controller: z.number().int().nullable(),
  clusterId: z.string().nullable(),
  /** Missing brokers and under-replicated or offline partitions; null when the cluster did not answer. */
  replication: kafkaReplicationSchema.nullable(),
});
export type KafkaDetail = z.infer<typeof kafkaDetailSchema>;

export const connectTaskSchema = z.object({
  id: z.number().int(),
  /** UNASSIGNED | RUNNING | PAUSED | FAILED | RESTARTING | STOPPED; kept open for future states. */
  state: z.string(),
  workerId: z.string().nullable(),
  /** Java stack trace of a failed task, truncated; this is the connector's diagnosis, not ours. */
  trace: z.string().optional(),
});
export type ConnectTask = z.infer<typeof connectTaskSchema>;

export const connectDetailSchema = z.object({
  url: z.string(),
  connector: z.string(),
  /** Kafka Connect version from GET /; null when the REST API did not answer. */
  workerVersion: z.string().nullable(),
  /** Connector state; null when the REST API did not answer or the connector is not registered. */
  connectorState: z.string().nullable(),
  connectorTrace: z.string().optional(),
  tasks: z.array(connectTaskSchema),
});
export type ConnectDetail = z.infer<typeof connectDetailSchema>;

export const postgresHealthSchema = z.object({ ...componentBase, detail: postgresDetailSchema });
export const kafkaHealthSchema = z.object({ ...componentBase, detail: kafkaDetailSchema });
export const connectHealthSchema = z.object({ ...componentBase, detail: connectDetailSchema });
export type PostgresHealth = z.infer<typeof postgresHealthSchema>;
export type KafkaHealth = z.infer<typeof kafkaHealthSchema>;
export type ConnectHealth = z.infer<typeof connectHealthSchema>;

export const healthReportSchema = z.object({
  status: overallStatusSchema,
  /** ISO 8601 time at which the checks started. */
  checkedAt: z.iso.datetime(),
  components: z.object({
    postgres: postgresHealthSchema,
    kafka: kafkaHealthSchema,
    connect: connectHealthSchema,
  }),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

export type PipelineComponent = keyof HealthReport["components"];

/** Display order and names, shared by the header pills, the overview and the server's logs. */
export const PIPELINE_COMPONENTS: readonly { id: PipelineComponent; label: string }[] = [
  { id: "postgres", label: "PostgreSQL" },
  { id: "kafka", label: "Kafka" },
  { id: "connect", label: "Connect" },
];

/** The overall status follows from the components: any component down degrades the pipeline. */
export function overallStatus(components: HealthReport["components"]): OverallStatus {
  return Object.values(components).every((component) => component.status === "up") ? "ok" : "degraded";
}

/** Body of GET /api/health when no report can be produced at all (the server runtime is absent). */
export const healthUnavailableSchema = z.object({ error: z.string() });
export type HealthUnavailable = z.infer<typeof healthUnavailableSchema>;
