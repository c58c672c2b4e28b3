import type { HealthReport } from "@/lib/contracts/health";
import {
  STAGES,
  type ConnectState,
  type ConsumerGroupStats,
  type HistoryPoint,
  type KafkaClusterStats,
  type MetricsSnapshot,
  type StageHealth,
  type StageName,
} from "@/lib/contracts/metrics";
import { describeError } from "@/lib/errors/describe-error";
import type { KafkaConnectClient } from "@/server/connect/client";
import { pollConnectState } from "@/server/connect/state";
import type { OffsetPoller, OffsetSnapshot } from "@/server/kafka/offsets";
import type { TopicTail } from "@/server/kafka/tail";
import type { Logger } from "@/server/log";
import type { OutboxStatsPoller } from "@/server/outbox/stats";
import type { LatencyRecorder } from "./latency";
import type { HistorySeries } from "./series";
import {
  combineHealth,
  evaluateCapture,
  ConsumerGroupHistory,
  evaluateConsumerGroup,
  evaluateOutbox,
  evaluateTopic,
  transition,
  type CaptureObservation,
  type ConsumerGroupHealth,
  type HealthThresholds,
  type OutboxObservation,
  type TopicObservation,
} from "./stage-health";

/**
 * Puts the pipeline's numbers together once a second: offsets and lag (Kafka admin), the outbox
 * table and its replication slot (PostgreSQL), the connector (Kafka Connect REST, every 5 s), the
 * tail's rates and the latency histograms; evaluates each stage's health; keeps the 15-minute
 * history and hands every snapshot to its subscribers (socket.io, /metrics).
 *
 * A tick never overlaps the previous one: each poller has its own deadline (≤ 2 s), and a tick
 * that is still waiting when the next is due makes the next one wait.
 */

// One snapshot a second: the resolution of the charts and of the history sent on connect.
export const SNAPSHOT_INTERVAL_MS = 1_000;
// Connect's REST API answers slowly under load and connector state changes rarely.
export const CONNECT_POLL_EVERY_TICKS = 5;
// Observations kept per stage for the health rules: two minutes at one a second, twice the rules'
// 60-second window, so a rule always sees its whole window.
export const MAX_OBSERVATIONS = 120;

export interface MetricsCollectorDeps {
  tail: TopicTail;
  offsets: OffsetPoller;
  outbox: OutboxStatsPoller;
  connect: KafkaConnectClient;
  connectorName: string;
  /**
   * The Kafka cluster's brokers and the topic's replication, as the health check last read them
   * (its metadata request is the one place that asks); null when unknown.
   */
  cluster?: () => KafkaClusterStats | null;
  /** The table's status values (real tables name them differently). */
  statuses: { pending: string; failed: string };
  latency: LatencyRecorder;
  history: HistorySeries;
  thresholds?: Partial<HealthThresholds>;
  logger: Logger;
  now?: () => number;
}

export type SnapshotListener = (snapshot: MetricsSnapshot, point: HistoryPoint) => void;

/** The cluster part of a health report, for the snapshot; null when Kafka did not answer the last check. */
export function kafkaClusterStats(report: HealthReport | null): KafkaClusterStats | null {
  const kafka = report?.components.kafka;
  if (!kafka || kafka.status !== "up" || !kafka.detail.replication) return null;
  return { checkedAt: Date.parse(report.checkedAt), brokers: kafka.detail.brokers, replication: kafka.detail.replication };
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_OBSERVATIONS) list.splice(0, list.length - MAX_OBSERVATIONS);
}

export class MetricsCollector {
  readonly #deps: MetricsCollectorDeps;
  readonly #now: () => number;
  readonly #listeners = new Set<SnapshotListener>();
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #ticks = 0;
  #latest: MetricsSnapshot | null = null;
  #connect: ConnectState | null = null;
  /** Per group, the offsets reading (its polledAt) its health was last judged on. */
  readonly #judgedReadings = new Map<string, number | null>();
  readonly #observations = {
    outbox: [] as OutboxObservation[],
    capture: [] as CaptureObservation[],
    topic: [] as TopicObservation[],
    groups: new Map<string, ConsumerGroupHistory>(),
  };
  readonly #health: { stages: Partial<Record<StageName, StageHealth>>; groups: Map<string, ConsumerGroupHealth> } = {
    stages: {},
    groups: new Map(),
  };

  constructor(deps: MetricsCollectorDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const loop = async () => {
      const started = this.#now();
      await this.tick().catch((error: unknown) => this.#deps.logger.error(`metrics tick failed: ${describeError(error)}`));
      if (!this.#running) return;
      // Keep the one-second cadence aligned to when ticks start, not when they end.
      const wait = Math.max(0, SNAPSHOT_INTERVAL_MS - (this.#now() - started));
      this.#timer = setTimeout(() => void loop(), wait);
    };
    void loop();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  latest(): MetricsSnapshot | null {
    return this.#latest;
  }

  history(): HistoryPoint[] {
    return this.#deps.history.toArray();
  }

  subscribe(listener: SnapshotListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** One round: poll, evaluate, snapshot, notify. Exposed for tests, which drive time themselves. */
  async tick(): Promise<MetricsSnapshot> {
    const d = this.#deps;
    const pollConnect = this.#ticks % CONNECT_POLL_EVERY_TICKS === 0 || this.#connect === null;
    this.#ticks += 1;
    const [offsets, outbox, connect] = await Promise.all([
      d.offsets.poll(),
      d.outbox.poll(),
      pollConnect ? pollConnectState(d.connect, d.connectorName, this.#connect) : Promise.resolve(this.#connect!),
    ]);
    this.#connect = connect;
    const now = this.#now();
    const tail = d.tail.stats(now);
    const cluster = d.cluster?.() ?? null;

    const stages = this.#evaluate(now, offsets, outbox, connect, cluster);
    const groups: ConsumerGroupStats[] = offsets.groups.map((group) => ({
      ...group,
      health: this.#health.groups.get(group.groupId)?.overall ?? { status: "UNKNOWN", rule: "no observation yet", since: now },
    }));
    const latency = d.latency.snapshot(now);
    const snapshot: MetricsSnapshot = {
      at: now,
      stages,
      outbox,
      connect,
      topic: offsets.topic,
      cluster,
      groups,
      latency,
      tail: { messagesPerSec: tail.messagesPerSec, behindRecords: tail.behindRecords, undecodable: tail.undecodable, decodeEvery: tail.decodeEvery },
    };
    const lastSecond = d.latency.lastSecond(now);
    const pending = outbox.counts.find((c) => c.status === d.statuses.pending)?.count ?? null;
    const failed = outbox.counts.find((c) => c.status === d.statuses.failed)?.count ?? null;
    const point: HistoryPoint = {
      at: Math.floor(now / 1000) * 1000,
      topicMessagesPerSec: offsets.stale ? null : offsets.topic.messagesPerSec,
      insertRate: outbox.error ? null : outbox.insertRate,
      processedRate: outbox.error ? null : outbox.processedRate,
      failedRate: outbox.error ? null : outbox.failedRate,
      pending: outbox.error ? null : pending,
      failed: outbox.error ? null : failed,
      slotLagBytes: outbox.slot?.lagBytes ?? null,
      groupLag: Object.fromEntries(groups.map((g) => [g.groupId, g.totalLag])),
      groupTimeLagMs: Object.fromEntries(groups.map((g) => [g.groupId, g.maxTimeLagMs])),
      latencyP50: lastSecond.p50,
      latencyP99: lastSecond.p99,
    };
    d.history.push(point);
    this.#latest = snapshot;
    for (const listener of this.#listeners) {
      try {
        listener(snapshot, point);
      } catch (error) {
        d.logger.error(`metrics listener failed: ${describeError(error)}`);
      }
    }
    return snapshot;
  }

  #evaluate(now: number, offsets: OffsetSnapshot, outbox: MetricsSnapshot["outbox"], connect: ConnectState, cluster: KafkaClusterStats | null): Record<StageName, StageHealth> {
    const t = this.#deps.thresholds;
    const obs = this.#observations;
    const pending = outbox.counts.find((c) => c.status === this.#deps.statuses.pending);
    pushBounded(obs.outbox, {
      at: now,
      error: outbox.error,
      pending: outbox.error ? null : (pending?.count ?? 0),
      oldestPendingAgeMs: outbox.oldestPendingAgeMs,
      failedRate: outbox.failedRate,
    });
    pushBounded(obs.capture, {
      at: now,
      connect,
      slot: outbox.error ? null : outbox.slot,
      topicMessagesPerSec: offsets.stale ? null : offsets.topic.messagesPerSec,
    });
    pushBounded(obs.topic, {
      at: now,
      error: offsets.error,
      messagesPerSec: offsets.stale ? null : offsets.topic.messagesPerSec,
      cluster: cluster && { at: cluster.checkedAt, liveBrokers: cluster.brokers.length, ...cluster.replication },
    });

    const seen = new Set<string>();
    for (const group of offsets.groups) {
      seen.add(group.groupId);
      let history = obs.groups.get(group.groupId);
      if (!history) obs.groups.set(group.groupId, (history = new ConsumerGroupHistory(MAX_OBSERVATIONS, t?.allowedLag)));
      // On a big topic the poller reads offsets every few seconds and answers with its last
      // reading in between: judging that reading again would cost as much as a new one (1,000
      // partitions are ~1 ms a group) for the same verdict, so a group is judged once per reading.
      // A failed read is judged every time: it is cheap (STOP) and must show at once.
      if (offsets.error === null && this.#judgedReadings.get(group.groupId) === offsets.polledAt && this.#health.groups.has(group.groupId)) continue;
      this.#judgedReadings.set(group.groupId, offsets.error === null ? offsets.polledAt : null);
      history.push({ at: now, error: offsets.error, state: group.state, memberCount: group.members.length, partitions: group.partitions });
      this.#health.groups.set(group.groupId, evaluateConsumerGroup(history, this.#health.groups.get(group.groupId) ?? null, now, t));
    }
    // A group that is no longer monitored takes its history with it: memory stays bounded.
    for (const groupId of [...obs.groups.keys()]) {
      if (!seen.has(groupId)) {
        obs.groups.delete(groupId);
        this.#judgedReadings.delete(groupId);
        this.#health.groups.delete(groupId);
      }
    }

    const previous = this.#health.stages;
    const consumerParts = [...this.#health.groups.entries()].map(([name, health]) => ({ name, health: health.overall }));
    const stages: Record<StageName, StageHealth> = {
      outbox: evaluateOutbox(obs.outbox, previous.outbox ?? null, now, t),
      capture: evaluateCapture(obs.capture, previous.capture ?? null, now, t),
      topic: evaluateTopic(obs.topic, previous.topic ?? null, now, t),
      consumers:
        consumerParts.length > 0
          ? combineHealth(previous.consumers, consumerParts, now)
          : offsets.error
            ? transition(previous.consumers, "STOP", `Kafka unreachable: ${offsets.error}`, now)
            : transition(previous.consumers, "UNKNOWN", "no consumer group has committed offsets on the topic", now),
    };
    for (const stage of STAGES) previous[stage] = stages[stage];
    return stages;
  }
}
