import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { HOPS, STAGES, WINDOWS, type MetricsSnapshot, type StageStatus } from "@/lib/contracts/metrics";
import { EventLoopDelayHistogram } from "./event-loop-delay";

/**
 * GET /metrics: the numbers of the latest snapshot in Prometheus' text format, prefix
 * `outbox_lens_`, plus the process's own metrics (event-loop delay, memory, CPU) from prom-client's
 * default collectors. The snapshot is the single source: what Prometheus scrapes is what the
 * dashboard shows.
 */

const PREFIX = "outbox_lens_";
const STATUS_VALUE: Record<StageStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3, UNKNOWN: -1 };
const QUANTILES = [
  ["0.5", "p50"],
  ["0.9", "p90"],
  ["0.95", "p95"],
  ["0.99", "p99"],
  ["1", "max"],
] as const;

export class PrometheusExporter {
  readonly registry = new Registry();
  /** Cumulative, unlike prom-client's per-scrape event-loop gauges; sampling runs between start() and stop(). */
  readonly eventLoopDelay = new EventLoopDelayHistogram(this.registry);
  readonly #gauges = {
    outboxRows: this.#gauge("outbox_rows", "Outbox rows by status (exact=false: planner estimate).", ["status", "exact"]),
    oldestPending: this.#gauge("outbox_oldest_pending_age_seconds", "Age of the oldest pending outbox row.", []),
    insertRate: this.#gauge("outbox_insert_rate", "Outbox rows inserted per second.", []),
    processedRate: this.#gauge("outbox_processed_rate", "Outbox rows handled (processed) per second.", []),
    failedRate: this.#gauge("outbox_failed_rate", "Outbox rows failed per second.", []),
    slotLag: this.#gauge("replication_slot_lag_bytes", "WAL bytes the replication slot has not confirmed.", ["slot"]),
    slotActive: this.#gauge("replication_slot_active", "1 when the replication slot is in use.", ["slot"]),
    connectorRunning: this.#gauge("connector_running", "1 when the connector and all its tasks are RUNNING.", ["connector"]),
    brokersLive: this.#gauge("kafka_brokers_live", "Kafka brokers the cluster's metadata lists.", []),
    brokersMissing: this.#gauge("kafka_brokers_missing", "Kafka brokers expected (in a replica list of the watched topics, or seen earlier) but not listed.", []),
    underReplicated: this.#gauge("kafka_partitions_under_replicated", "Partitions of the watched topics with fewer in-sync replicas than replicas.", []),
    offline: this.#gauge("kafka_partitions_offline", "Partitions of the watched topics without a leader.", []),
    belowMinIsr: this.#gauge("kafka_partitions_below_min_isr", "Partitions of the watched topics with fewer in-sync replicas than min.insync.replicas.", []),
    topicRate: this.#gauge("topic_messages_per_second", "Messages appended per second (end-offset deltas).", ["topic", "partition"]),
    topicBytes: this.#gauge("topic_bytes_per_second", "Bytes per second read by the tail.", ["topic", "partition"]),
    endOffset: this.#gauge("topic_end_offset", "End offset per partition.", ["topic", "partition"]),
    groupLag: this.#gauge("consumer_lag", "Consumer lag in records.", ["group", "topic", "partition"]),
    groupTimeLag: this.#gauge("consumer_time_lag_seconds", "Age of the oldest unconsumed record.", ["group", "topic", "partition"]),
    groupTotalLag: this.#gauge("consumer_group_lag", "Total lag of the group in records.", ["group"]),
    groupMembers: this.#gauge("consumer_group_members", "Members of the group.", ["group"]),
    latency: this.#gauge("latency_seconds", "Latency per hop over a sliding window.", ["hop", "window", "quantile"]),
    latencyCount: this.#gauge("latency_samples", "Samples per hop in the window.", ["hop", "window"]),
    stageHealth: this.#gauge("stage_health", "Stage health: 0 OK, 1 WARN, 2 STALL, 3 STOP, -1 UNKNOWN.", ["stage"]),
    groupHealth: this.#gauge("consumer_group_health", "Group health: 0 OK, 1 WARN, 2 STALL, 3 STOP, -1 UNKNOWN.", ["group"]),
    undecodable: this.#gauge("tail_undecodable_records", "Records on the topic that were not Debezium change events.", []),
    snapshotAge: this.#gauge("snapshot_timestamp_seconds", "When the exported snapshot was taken.", []),
  };

  constructor() {
    // Event-loop delay (p50…p99), heap, RSS and CPU of this process.
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  #gauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name: PREFIX + name, help, labelNames, registers: [this.registry] });
  }

  /** Replaces every pipeline series with the snapshot's numbers; null (unknown) is left out. */
  update(snapshot: MetricsSnapshot): void {
    const g = this.#gauges;
    for (const gauge of Object.values(g)) gauge.reset();
    // prom-client's reset leaves a gauge without labels at 0; the cluster's are removed instead, so
    // that while Kafka does not answer they are absent rather than "0 brokers, 0 under-replicated".
    for (const gauge of [g.brokersLive, g.brokersMissing, g.underReplicated, g.offline, g.belowMinIsr]) gauge.remove();
    const set = <L extends string>(gauge: Gauge<L>, labels: Partial<Record<L, string | number>>, value: number | null | undefined) => {
      if (value !== null && value !== undefined && Number.isFinite(value)) gauge.set(labels, value);
    };

    const { outbox, connect, topic } = snapshot;
    for (const c of outbox.counts) set(g.outboxRows, { status: c.status, exact: String(c.exact) }, c.count);
    set(g.oldestPending, {}, outbox.oldestPendingAgeMs === null ? null : outbox.oldestPendingAgeMs / 1000);
    set(g.insertRate, {}, outbox.insertRate);
    set(g.processedRate, {}, outbox.processedRate);
    set(g.failedRate, {}, outbox.failedRate);
    if (outbox.slot) {
      set(g.slotLag, { slot: outbox.slot.name }, outbox.slot.lagBytes);
      set(g.slotActive, { slot: outbox.slot.name }, outbox.slot.active ? 1 : 0);
    }
    if (connect.state !== null) {
      const running = connect.state === "RUNNING" && connect.tasks.length > 0 && connect.tasks.every((t) => t.state === "RUNNING");
      set(g.connectorRunning, { connector: connect.connector }, running ? 1 : 0);
    }
    // Left out while the cluster's metadata is unknown (Kafka unreachable): no series is better than a wrong 0.
    if (snapshot.cluster) {
      const { brokers, replication } = snapshot.cluster;
      set(g.brokersLive, {}, brokers.length);
      set(g.brokersMissing, {}, replication.missingBrokers.length);
      set(g.underReplicated, {}, replication.underReplicated);
      set(g.offline, {}, replication.offline);
      set(g.belowMinIsr, {}, replication.belowMinIsr);
    }
    for (const p of topic.partitions) {
      const labels = { topic: topic.topic, partition: p.partition };
      set(g.topicRate, labels, p.messagesPerSec);
      set(g.topicBytes, labels, p.bytesPerSec);
      set(g.endOffset, labels, Number(p.endOffset));
    }
    for (const group of snapshot.groups) {
      set(g.groupTotalLag, { group: group.groupId }, group.totalLag);
      set(g.groupMembers, { group: group.groupId }, group.members.length);
      set(g.groupHealth, { group: group.groupId }, STATUS_VALUE[group.health.status]);
      for (const p of group.partitions) {
        const labels = { group: group.groupId, topic: p.topic, partition: p.partition };
        set(g.groupLag, labels, p.lag);
        set(g.groupTimeLag, labels, p.timeLagMs === null ? null : p.timeLagMs / 1000);
      }
    }
    for (const hop of HOPS) {
      for (const window of WINDOWS) {
        const percentiles = snapshot.latency.hops[hop]?.[window];
        if (!percentiles) continue;
        set(g.latencyCount, { hop, window }, percentiles.count);
        for (const [quantile, key] of QUANTILES) {
          const ms = percentiles[key];
          set(g.latency, { hop, window, quantile }, ms === null ? null : ms / 1000);
        }
      }
    }
    for (const stage of STAGES) {
      const health = snapshot.stages[stage];
      if (health) set(g.stageHealth, { stage }, STATUS_VALUE[health.status]);
    }
    set(g.undecodable, {}, snapshot.tail.undecodable);
    set(g.snapshotAge, {}, snapshot.at / 1000);
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
