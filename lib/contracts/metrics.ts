import { z } from "zod";
import { kafkaBrokerSchema, kafkaReplicationSchema } from "./health";

/**
 * The live-metrics contract: what the server computes about the pipeline each second, sent to
 * browsers over socket.io (`metrics:snapshot`, `metrics:history`) and exported at /metrics.
 * Both ends import these types; the browser validates what it receives before rendering.
 *
 * Units: times are epoch milliseconds, durations milliseconds, rates per second, sizes bytes.
 * A number the server could not obtain is null, never 0: a dashboard that shows 0 for "unknown"
 * shows a wrong number.
 */

// ---------------------------------------------------------------------------------------------
// Stage health (after Burrow's consumer-lag evaluation rules)

export const stageStatusSchema = z.enum(["OK", "WARN", "STALL", "STOP", "UNKNOWN"]);
export type StageStatus = z.infer<typeof stageStatusSchema>;

export const stageHealthSchema = z.object({
  status: stageStatusSchema,
  /** The rule that decided the status, in words: "lag growing for 60 s while committed offsets do not move". */
  rule: z.string(),
  /** When the stage entered this status. */
  since: z.number(),
});
export type StageHealth = z.infer<typeof stageHealthSchema>;

/** The four stages of the pipeline, left to right. */
export const STAGES = ["outbox", "capture", "topic", "consumers"] as const;
export type StageName = (typeof STAGES)[number];

// ---------------------------------------------------------------------------------------------
// Latency

/** The hops of an event's journey, all computable from what the topic and the table carry. */
export const HOPS = ["capture", "outboxToKafka", "kafkaToProcessed", "endToEnd"] as const;
export const hopSchema = z.enum(HOPS);
export type Hop = z.infer<typeof hopSchema>;

export const HOP_LABELS: Record<Hop, string> = {
  capture: "capture (commit → Kafka)",
  outboxToKafka: "outbox → Kafka",
  kafkaToProcessed: "Kafka → processed",
  endToEnd: "end to end",
};

/** Sliding windows over which percentiles are computed. */
export const WINDOWS = ["1m", "5m", "15m"] as const;
export const windowSchema = z.enum(WINDOWS);
export type LatencyWindow = z.infer<typeof windowSchema>;

export const percentilesSchema = z.object({
  /** Samples in the window; the percentiles are null when it is 0. */
  count: z.number().int().nonnegative(),
  p50: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  max: z.number().nullable(),
});
export type Percentiles = z.infer<typeof percentilesSchema>;

export const hopLatencySchema = z.record(windowSchema, percentilesSchema);
export type HopLatency = z.infer<typeof hopLatencySchema>;

// ---------------------------------------------------------------------------------------------
// Outbox table and replication slot

export const statusCountSchema = z.object({
  status: z.string(),
  count: z.number().int().nonnegative(),
  /** false: from the planner's estimate (shown as "≈"); true: an exact count. */
  exact: z.boolean(),
});

export const outboxStatsSchema = z.object({
  table: z.string(),
  counts: z.array(statusCountSchema),
  /** Age of the oldest pending row; null when nothing is pending. */
  oldestPendingAgeMs: z.number().nullable(),
  /** Rows with retry_count = n, for n = 0, 1, 2, … (exact, over the failed and pending rows). */
  retryDistribution: z.array(z.object({ retryCount: z.number().int(), count: z.number().int() })),
  /** Rows inserted per second (by sequence_id advance) and handled per second (processed + failed). */
  insertRate: z.number().nullable(),
  processedRate: z.number().nullable(),
  failedRate: z.number().nullable(),
  slot: z
    .object({
      name: z.string(),
      active: z.boolean(),
      /** pg_current_wal_lsn() − confirmed_flush_lsn */
      lagBytes: z.number().nullable(),
    })
    .nullable(),
  /** Why the numbers are missing or stale (PostgreSQL down, query timed out). */
  error: z.string().nullable(),
  polledAt: z.number(),
});
export type OutboxStats = z.infer<typeof outboxStatsSchema>;

// ---------------------------------------------------------------------------------------------
// Kafka Connect

export const connectStateSchema = z.object({
  connector: z.string(),
  /** RUNNING | PAUSED | FAILED | UNASSIGNED | STOPPED, or null when Connect did not answer. */
  state: z.string().nullable(),
  tasks: z.array(z.object({ id: z.number().int(), state: z.string(), workerId: z.string().nullable(), trace: z.string().optional() })),
  error: z.string().nullable(),
  polledAt: z.number(),
});
export type ConnectState = z.infer<typeof connectStateSchema>;

// ---------------------------------------------------------------------------------------------
// Topic and consumer groups

export const partitionThroughputSchema = z.object({
  partition: z.number().int(),
  startOffset: z.string(),
  endOffset: z.string(),
  /** From end-offset deltas: exact whatever the tail does. */
  messagesPerSec: z.number().nullable(),
  /** From the tail (sizes are only known to a reader). */
  bytesPerSec: z.number().nullable(),
});

export const topicStatsSchema = z.object({
  topic: z.string(),
  partitions: z.array(partitionThroughputSchema),
  messagesPerSec: z.number().nullable(),
  bytesPerSec: z.number().nullable(),
  /** Per second over the last 10 s, from the tail: by Debezium op (c, u, d, r, t, tombstone, other). */
  byOp: z.record(z.string(), z.number()),
  /** Per second over the last 10 s, from the tail: inserts by event type. */
  byEventType: z.record(z.string(), z.number()),
  /**
   * How often end and committed offsets are read: every second, or less often when the topic's
   * partitions × monitored groups would cost more than the poller's CPU budget.
   */
  offsetsReadEveryMs: z.number().positive(),
  error: z.string().nullable(),
});
export type TopicStats = z.infer<typeof topicStatsSchema>;

export const groupPartitionSchema = z.object({
  topic: z.string(),
  partition: z.number().int(),
  /** null when the group has not committed on this partition. */
  committedOffset: z.string().nullable(),
  endOffset: z.string(),
  /** endOffset − committedOffset (or − startOffset when nothing is committed). */
  lag: z.number().int().nonnegative(),
  /** Age of the oldest unconsumed record (now − its Kafka timestamp); 0 when lag is 0; null when unknown. */
  timeLagMs: z.number().nullable(),
  /** clientId/host of the member that owns the partition; null when none does. */
  owner: z.string().nullable(),
});

export const consumerGroupSchema = z.object({
  groupId: z.string(),
  /** Stable | PreparingRebalance | CompletingRebalance | Empty | Dead | … */
  state: z.string(),
  members: z.array(z.object({ memberId: z.string(), clientId: z.string(), host: z.string(), partitions: z.array(z.number().int()) })),
  totalLag: z.number().int().nonnegative(),
  maxTimeLagMs: z.number().nullable(),
  /** Committed offsets advanced per second. */
  consumeRate: z.number().nullable(),
  partitions: z.array(groupPartitionSchema),
  health: stageHealthSchema,
});
export type ConsumerGroupStats = z.infer<typeof consumerGroupSchema>;

/**
 * The Kafka cluster behind the topic: live brokers, missing ones, and the replication of the
 * watched topics, as the last health check read them from the cluster's metadata.
 */
export const kafkaClusterStatsSchema = z.object({
  /** When the metadata was read. */
  checkedAt: z.number(),
  /** The live brokers: those the cluster's metadata lists. */
  brokers: z.array(kafkaBrokerSchema),
  replication: kafkaReplicationSchema,
});
export type KafkaClusterStats = z.infer<typeof kafkaClusterStatsSchema>;

// ---------------------------------------------------------------------------------------------
// The snapshot (one a second) and the history (on connect)

export const metricsSnapshotSchema = z.object({
  at: z.number(),
  stages: z.record(z.enum(STAGES), stageHealthSchema),
  outbox: outboxStatsSchema,
  connect: connectStateSchema,
  topic: topicStatsSchema,
  /** null when the cluster's metadata could not be read (Kafka unreachable) or has not been yet. */
  cluster: kafkaClusterStatsSchema.nullable(),
  groups: z.array(consumerGroupSchema),
  /**
   * "omitted" when `groups[].partitions` are left empty; absent when they list each group's
   * partitions. Browsers get them only while they ask (`metrics:partitions:subscribe`, the
   * consumers page): at 1,000 partitions × 20 groups that is 20,000 rows a second.
   */
  groupPartitions: z.literal("omitted").optional(),
  latency: z.object({
    hops: z.record(hopSchema, hopLatencySchema),
    /** Over the 5-minute window, per event type. */
    byEventType: z.record(z.string(), z.record(hopSchema, percentilesSchema)),
  }),
  tail: z.object({
    /** Records the tail read per second, and how far behind the end offsets it is. */
    messagesPerSec: z.number(),
    behindRecords: z.number().int().nonnegative(),
    /** Records that were not Debezium change events (counted, never dropped silently). */
    undecodable: z.number().int().nonnegative(),
    /**
     * 1 when every record is decoded; K when, under a high rate or a backlog, 1 record in K (the
     * same events' records, by key) is decoded for latency samples and the message views. Counts
     * and rates stay exact either way.
     */
    decodeEvery: z.number().int().positive(),
  }),
});
export type MetricsSnapshot = z.infer<typeof metricsSnapshotSchema>;

/** The snapshot sent to browsers that did not ask for the groups' partitions: each group's summary. */
export function withoutGroupPartitions(snapshot: MetricsSnapshot): MetricsSnapshot {
  return { ...snapshot, groups: snapshot.groups.map((group) => ({ ...group, partitions: [] })), groupPartitions: "omitted" };
}

/** One point a second for the charts; 15 minutes of them are sent on connect. */
export const historyPointSchema = z.object({
  at: z.number(),
  topicMessagesPerSec: z.number().nullable(),
  insertRate: z.number().nullable(),
  processedRate: z.number().nullable(),
  failedRate: z.number().nullable(),
  pending: z.number().nullable(),
  failed: z.number().nullable(),
  slotLagBytes: z.number().nullable(),
  /** Total lag per monitored group. */
  groupLag: z.record(z.string(), z.number()),
  groupTimeLagMs: z.record(z.string(), z.number().nullable()),
  /** p50 / p99 per hop over the last second's samples (null when none). */
  latencyP50: z.record(hopSchema, z.number().nullable()),
  latencyP99: z.record(hopSchema, z.number().nullable()),
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

/** How much history the server keeps and sends: 15 minutes at 1-second resolution. */
export const HISTORY_SECONDS = 15 * 60;
