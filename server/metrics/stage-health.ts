import type { ConnectState, ConsumerGroupStats, StageHealth, StageStatus } from "@/lib/contracts/metrics";
import { firstLine, truncate } from "@/lib/errors/describe-error";
import { formatDuration } from "@/lib/format/duration";
import { replicationProblems } from "@/lib/format/replication";

/**
 * Stage health: OK / WARN / STALL / STOP / UNKNOWN for each stage of the pipeline, from a short
 * history of observations, after Burrow's consumer-lag evaluation rules
 * (https://github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules). Burrow judges a
 * consumer by how its committed offsets and lag move over a sliding window rather than by a lag
 * threshold: lag that reached zero is fine however large it is now; offsets that stop moving
 * while there is lag are a stall; offsets that move while lag keeps growing are a warning. The
 * same idea is applied to the outbox backlog and the replication slot.
 *
 * Pure: every function takes the observations (oldest first), the previous result and the time,
 * and returns a new result. `since` is carried over from the previous result while the status is
 * unchanged, so "STALL since 16:04:05" stays put as the numbers in the rule change.
 *
 * Every status but STOP needs history: until `minHistoryMs` of observations exist, UNKNOWN. STOP
 * conditions (a component unreachable, a consumer group without members) are facts of the latest
 * observation and are reported at once.
 */

export interface HealthThresholds {
  /** Span of observations the trend rules look at (Burrow's window), ms. */
  windowMs: number;
  /** History needed before anything but STOP is decided, ms. */
  minHistoryMs: number;
  /** A latest observation older than this means the poller itself stopped: UNKNOWN, ms. */
  staleAfterMs: number;

  /** Consumers: committed offset unchanged while lag > allowedLag for this long → STALL, ms. */
  consumerStallMs: number;
  /** Consumers: lag up to this counts as caught up (Burrow's allowed lag; transaction markers leave 1). */
  allowedLag: number;

  /** Outbox: oldest pending row older than this while pending does not shrink → STALL, ms. */
  outboxStallAgeMs: number;
  /** Outbox: pending growing for this long → WARN, ms. */
  pendingGrowthMs: number;
  /** Outbox: failed rows per second (averaged over the window) above this → WARN. */
  failedRateWarnPerSec: number;

  /** Capture: slot inactive for this long → STALL, ms (a connector restart leaves it inactive for a moment). */
  slotInactiveStallMs: number;
  /** Capture: slot lag growing for this long while no record reaches the topic → STALL, ms. */
  slotGrowthMs: number;
  /** Capture: slot lag above this → WARN, bytes. */
  slotLagWarnBytes: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: Readonly<HealthThresholds> = Object.freeze({
  // A minute: long enough to see through a consumer's commit interval (5 s by default) and the
  // sawtooth it draws in the lag, short enough that an operator sees a stall while it matters.
  windowMs: 60_000,
  // Ten 1-second observations: enough for "lag was zero at some point" to mean something.
  minHistoryMs: 10_000,
  // Three missed 5-second polls (Connect's interval, the slowest one).
  staleAfterMs: 15_000,
  consumerStallMs: 60_000,
  allowedLag: 0,
  // A healthy pipeline handles a row within seconds; a minute-old pending row is waiting on something.
  outboxStallAgeMs: 60_000,
  pendingGrowthMs: 30_000,
  failedRateWarnPerSec: 1,
  slotInactiveStallMs: 10_000,
  slotGrowthMs: 60_000,
  // Four 16 MB WAL segments held back: PostgreSQL cannot recycle them while the slot lags.
  slotLagWarnBytes: 64 * 1024 * 1024,
});

/** A status carrying over `since` from the previous result when the status did not change. */
export function transition(previous: StageHealth | null | undefined, status: StageStatus, rule: string, now: number): StageHealth {
  return { status, rule, since: previous?.status === status ? previous.since : now };
}

const SEVERITY: Record<StageStatus, number> = { UNKNOWN: 0, OK: 1, WARN: 2, STALL: 3, STOP: 4 };

/** The worse of two statuses; UNKNOWN counts below OK, so a part without data does not hide the others. */
export function worse(a: StageStatus, b: StageStatus): StageStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/**
 * One health for several parts (e.g. the consumers stage over its groups): the worst part's
 * status and rule, prefixed with the part's name; UNKNOWN when there are no parts.
 */
export function combineHealth(previous: StageHealth | null | undefined, parts: ReadonlyArray<{ name: string; health: StageHealth }>, now: number): StageHealth {
  let worst: { name: string; health: StageHealth } | undefined;
  for (const part of parts) {
    if (!worst || SEVERITY[part.health.status] > SEVERITY[worst.health.status]) worst = part;
  }
  if (!worst) return transition(previous, "UNKNOWN", "nothing to evaluate", now);
  const others = parts.filter((p) => p !== worst && p.health.status === worst.health.status).length;
  const more = others > 0 ? ` (and ${others} more)` : "";
  return transition(previous, worst.health.status, `${worst.name}: ${worst.health.rule}${more}`, now);
}

// ---------------------------------------------------------------------------------------------
// Consumer groups

export interface ConsumerGroupObservation {
  at: number;
  /** Why the offsets could not be read (Kafka unreachable, timeout); null when they were. */
  error: string | null;
  /** Stable | PreparingRebalance | CompletingRebalance | Empty | Dead | … */
  state: string;
  memberCount: number;
  partitions: ReadonlyArray<Pick<ConsumerGroupStats["partitions"][number], "topic" | "partition" | "committedOffset" | "lag">>;
}

export interface ConsumerGroupHealth {
  overall: StageHealth;
  /** By `topic:partition`, for the partitions of the latest observation. */
  partitions: Record<string, StageHealth>;
}

/** Group states in which no consumer is working. */
const GROUP_STATES_WITHOUT_CONSUMERS = new Set(["Empty", "Dead"]);

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * Burrow's rules, per partition, then the worst partition for the group:
 *  - STOP: Kafka unreachable; or the group has no members (state Empty or Dead) while it has lag.
 *  - OK: lag ≤ allowedLag at some observation within the window (it caught up; rule 1).
 *  - STALL: the committed offset has not moved for consumerStallMs while lag > allowedLag.
 *  - WARN: committed offsets move but lag grows across the window.
 *  - OK: committed offsets move and lag does not grow.
 *  - UNKNOWN: less than minHistoryMs of observations, or the latest is stale.
 * Lag "grows across the window" when every lag of the window's last third exceeds every lag of
 * its first third (see {@link grewAcross}): a consumer that commits every few seconds draws a
 * sawtooth, which a comparison of two single points would misread both ways.
 */
export function evaluateConsumerGroup(
  history: readonly ConsumerGroupObservation[],
  previous: ConsumerGroupHealth | null,
  now: number,
  thresholds: Partial<HealthThresholds> = {},
): ConsumerGroupHealth {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
  const latest = history.at(-1);
  const all = (status: StageStatus, rule: string): ConsumerGroupHealth => {
    const partitions: Record<string, StageHealth> = {};
    for (const p of latest?.partitions ?? []) {
      const key = partitionKey(p.topic, p.partition);
      partitions[key] = transition(previous?.partitions[key], status, rule, now);
    }
    return { overall: transition(previous?.overall, status, rule, now), partitions };
  };

  const gate = staleness(history, now, t);
  if (gate) return all("UNKNOWN", gate);
  if (!latest) return all("UNKNOWN", "no offsets observed yet");
  if (latest.error !== null) return all("STOP", `Kafka unreachable: ${latest.error}`);

  const totalLag = latest.partitions.reduce((sum, p) => sum + p.lag, 0);
  const withoutConsumers = latest.memberCount === 0 || GROUP_STATES_WITHOUT_CONSUMERS.has(latest.state);
  if (withoutConsumers && latest.partitions.some((p) => p.lag > t.allowedLag)) {
    return all("STOP", `group has no members (state ${latest.state}) while lag is ${count(totalLag)}`);
  }
  if (withoutConsumers && latest.partitions.length === 0) {
    return all("STOP", `group has no members and no committed offsets (state ${latest.state})`);
  }
  const collecting = collectingHistory(history, t);
  if (collecting) return all("UNKNOWN", collecting);
  if (latest.partitions.length === 0) return all("UNKNOWN", "the group has no offsets on the topic");

  const partitions: Record<string, StageHealth> = {};
  const ranked: Array<{ name: string; health: StageHealth }> = [];
  for (const p of latest.partitions) {
    const key = partitionKey(p.topic, p.partition);
    const series = partitionSeries(history, p.topic, p.partition);
    const [status, rule] = evaluatePartition(series, now, t);
    const health = transition(previous?.partitions[key], status, rule, now);
    partitions[key] = health;
    ranked.push({ name: `partition ${p.partition} of ${p.topic}`, health });
  }
  const worst = combineHealth(previous?.overall, ranked, now);
  return { overall: worst, partitions };
}

interface PartitionPoint {
  at: number;
  committedOffset: string | null;
  lag: number;
}

function partitionSeries(history: readonly ConsumerGroupObservation[], topic: string, partition: number): PartitionPoint[] {
  const series: PartitionPoint[] = [];
  for (const observation of history) {
    if (observation.error !== null) continue;
    const p = observation.partitions.find((candidate) => candidate.topic === topic && candidate.partition === partition);
    if (p) series.push({ at: observation.at, committedOffset: p.committedOffset, lag: p.lag });
  }
  return series;
}

function evaluatePartition(series: readonly PartitionPoint[], now: number, t: HealthThresholds): [StageStatus, string] {
  const latest = series.at(-1)!;
  const window = series.filter((point) => point.at >= now - t.windowMs);
  const lagNow = count(latest.lag);

  if (latest.lag <= t.allowedLag) return ["OK", `caught up (lag ${lagNow})`];
  if (window.some((point) => point.lag <= t.allowedLag)) {
    return ["OK", `lag ${lagNow}, caught up within the last ${formatDuration(t.windowMs)}`];
  }

  // The run of newest observations with the same committed offset, all with lag.
  let stuckFrom = latest;
  for (let i = series.length - 1; i >= 0; i--) {
    const point = series[i]!;
    if (point.committedOffset !== latest.committedOffset || point.lag <= t.allowedLag) break;
    stuckFrom = point;
  }
  const stuckMs = latest.at - stuckFrom.at;
  if (stuckMs >= t.consumerStallMs) {
    const where = latest.committedOffset === null ? "no committed offset" : `committed offset stuck at ${count(Number(latest.committedOffset))}`;
    return ["STALL", `${where} for ${formatDuration(stuckMs)} while lag is ${lagNow}`];
  }

  const growth = grewAcross(series.map((point) => ({ at: point.at, value: point.lag })), t.windowMs);
  const first = window[0];
  const offsetsMoved = first !== undefined && first.committedOffset !== latest.committedOffset;
  if (growth && offsetsMoved) {
    return ["WARN", `lag grew from ${count(growth.from)} to ${count(growth.to)} over ${formatDuration(growth.spanMs)} while committed offsets advanced`];
  }
  if (!offsetsMoved) return ["OK", `lag ${lagNow}, committed offset unchanged for ${formatDuration(stuckMs)}`];
  return ["OK", `lag ${lagNow}, committed offsets advancing and lag not growing`];
}

// ---------------------------------------------------------------------------------------------
// Outbox table

export interface OutboxObservation {
  at: number;
  /** Why the stats are missing (PostgreSQL down, query timed out); null when they were read. */
  error: string | null;
  pending: number | null;
  oldestPendingAgeMs: number | null;
  failedRate: number | null;
}

/**
 *  - STOP: the stats could not be read (PostgreSQL unreachable or not answering).
 *  - STALL: the oldest pending row is older than outboxStallAgeMs and pending did not shrink over the window.
 *  - WARN: the oldest pending row is that old but pending shrinks (a backlog draining); or pending
 *    grew for pendingGrowthMs; or more than failedRateWarnPerSec rows failed per second.
 *  - OK otherwise; UNKNOWN without enough history.
 */
export function evaluateOutbox(
  history: readonly OutboxObservation[],
  previous: StageHealth | null,
  now: number,
  thresholds: Partial<HealthThresholds> = {},
): StageHealth {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
  const gate = staleness(history, now, t);
  if (gate) return transition(previous, "UNKNOWN", gate, now);
  const latest = history.at(-1)!;
  if (latest.error !== null) return transition(previous, "STOP", `PostgreSQL did not answer: ${latest.error}`, now);
  const collecting = collectingHistory(history, t);
  if (collecting) return transition(previous, "UNKNOWN", collecting, now);

  const good = history.filter((o) => o.error === null);
  const pendingSeries = good.flatMap((o) => (o.pending === null ? [] : [{ at: o.at, value: o.pending }]));
  const windowPending = pendingSeries.filter((point) => point.at >= now - t.windowMs);
  const age = latest.oldestPendingAgeMs;

  if (age !== null && age > t.outboxStallAgeMs && windowPending.length >= 2) {
    const from = windowPending[0]!;
    const to = windowPending.at(-1)!;
    const spanMs = to.at - from.at;
    if (to.value >= from.value) {
      return transition(
        previous,
        "STALL",
        `oldest pending row is ${formatDuration(age)} old and pending rows did not shrink (${count(from.value)} → ${count(to.value)}) over ${formatDuration(spanMs)}`,
        now,
      );
    }
    return transition(
      previous,
      "WARN",
      `oldest pending row is ${formatDuration(age)} old; pending rows shrinking (${count(from.value)} → ${count(to.value)} over ${formatDuration(spanMs)})`,
      now,
    );
  }

  const growth = grewAcross(pendingSeries, t.pendingGrowthMs);
  if (growth) {
    return transition(previous, "WARN", `pending rows grew from ${count(growth.from)} to ${count(growth.to)} over ${formatDuration(growth.spanMs)}`, now);
  }

  const failedRates = good.filter((o) => o.at >= now - t.windowMs && o.failedRate !== null).map((o) => o.failedRate!);
  if (failedRates.length > 0) {
    const failedRate = failedRates.reduce((sum, rate) => sum + rate, 0) / failedRates.length;
    if (failedRate > t.failedRateWarnPerSec) {
      return transition(
        previous,
        "WARN",
        `${rate(failedRate)} rows/s failing over the last ${formatDuration(t.windowMs)} (threshold ${rate(t.failedRateWarnPerSec)}/s)`,
        now,
      );
    }
  }

  const pendingNow = latest.pending === null ? "pending unknown" : `${count(latest.pending)} pending`;
  const oldest = age === null ? "" : `, oldest ${formatDuration(age)}`;
  return transition(previous, "OK", `${pendingNow}${oldest}`, now);
}

// ---------------------------------------------------------------------------------------------
// Capture (Debezium on Kafka Connect, and the replication slot it reads)

export interface CaptureObservation {
  at: number;
  /** The connector as Kafka Connect reports it; null when not polled yet. */
  connect: Pick<ConnectState, "connector" | "state" | "tasks" | "error"> | null;
  /** The replication slot; null when not monitored (or PostgreSQL did not answer). */
  slot: { name: string; active: boolean; lagBytes: number | null } | null;
  /** Records reaching the topic per second; null when unknown (Kafka unreachable). */
  topicMessagesPerSec: number | null;
}

/** A task's trace is a Java stack trace; the rule quotes its exception line, cut to a sentence's length. */
const MAX_TRACE_CHARS_IN_RULE = 200;

/** Connector and task states that mean nothing is captured. */
const STOPPED_CONNECTOR_STATES = new Set(["FAILED", "PAUSED", "STOPPED"]);

/**
 *  - STOP: Connect unreachable or the connector absent; the connector or a task FAILED, PAUSED
 *    or STOPPED; no tasks at all.
 *  - STALL: the slot inactive for slotInactiveStallMs (nothing reads the WAL); or the slot lag
 *    grew for slotGrowthMs while no record reached the topic. (On a database with other busy
 *    tables and a quiet outbox, the connector advances the slot only with heartbeats: configure
 *    Debezium's heartbeat.interval.ms or this rule fires.)
 *  - WARN: a connector or task UNASSIGNED/RESTARTING; the slot lag above slotLagWarnBytes; the slot
 *    inactive for less than slotInactiveStallMs.
 *  - OK otherwise; UNKNOWN without enough history.
 */
export function evaluateCapture(
  history: readonly CaptureObservation[],
  previous: StageHealth | null,
  now: number,
  thresholds: Partial<HealthThresholds> = {},
): StageHealth {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
  const gate = staleness(history, now, t);
  if (gate) return transition(previous, "UNKNOWN", gate, now);
  const latest = history.at(-1)!;
  const connect = latest.connect;

  if (connect) {
    if (connect.error !== null) return transition(previous, "STOP", connect.error, now);
    if (connect.state === null) return transition(previous, "STOP", `connector ${connect.connector} not found`, now);
    if (STOPPED_CONNECTOR_STATES.has(connect.state)) return transition(previous, "STOP", `connector ${connect.connector} is ${connect.state}`, now);
    const stoppedTask = connect.tasks.find((task) => STOPPED_CONNECTOR_STATES.has(task.state));
    if (stoppedTask) {
      const trace = stoppedTask.trace ? `: ${truncate(firstLine(stoppedTask.trace), MAX_TRACE_CHARS_IN_RULE)}` : "";
      return transition(previous, "STOP", `task ${stoppedTask.id} of ${connect.connector} is ${stoppedTask.state}${trace}`, now);
    }
    if (connect.tasks.length === 0) return transition(previous, "STOP", `connector ${connect.connector} has no tasks`, now);
  }
  const collecting = collectingHistory(history, t);
  if (collecting) return transition(previous, "UNKNOWN", collecting, now);

  const slot = latest.slot;
  if (slot && !slot.active) {
    // How long it has been inactive, from the newest observations back.
    let inactiveFrom = latest.at;
    for (let i = history.length - 1; i >= 0; i--) {
      const observed = history[i]!.slot;
      if (!observed || observed.name !== slot.name || observed.active) break;
      inactiveFrom = history[i]!.at;
    }
    const inactiveMs = latest.at - inactiveFrom;
    const rule = `replication slot ${slot.name} inactive for ${formatDuration(inactiveMs)}: nothing reads the WAL`;
    return transition(previous, inactiveMs >= t.slotInactiveStallMs ? "STALL" : "WARN", rule, now);
  }

  if (slot) {
    const lagSeries = history.flatMap((o) => (o.slot?.lagBytes == null ? [] : [{ at: o.at, value: o.slot.lagBytes }]));
    const growth = grewAcross(lagSeries, t.slotGrowthMs);
    if (growth) {
      const rates = history.filter((o) => o.at >= latest.at - growth.spanMs && o.topicMessagesPerSec !== null).map((o) => o.topicMessagesPerSec!);
      if (rates.length > 0 && rates.every((r) => r === 0)) {
        return transition(
          previous,
          "STALL",
          `slot lag grew from ${bytes(growth.from)} to ${bytes(growth.to)} over ${formatDuration(growth.spanMs)} while no records reached the topic`,
          now,
        );
      }
    }
  }

  if (connect) {
    const waitingTask = connect.tasks.find((task) => task.state !== "RUNNING");
    if (connect.state !== "RUNNING" || waitingTask) {
      const what = connect.state !== "RUNNING" ? `connector ${connect.connector} is ${connect.state}` : `task ${waitingTask!.id} is ${waitingTask!.state}`;
      return transition(previous, "WARN", what, now);
    }
  }
  if (slot?.lagBytes != null && slot.lagBytes > t.slotLagWarnBytes) {
    return transition(previous, "WARN", `replication slot ${slot.name} lags ${bytes(slot.lagBytes)} (threshold ${bytes(t.slotLagWarnBytes)})`, now);
  }

  const parts: string[] = [];
  if (connect) parts.push(`connector ${connect.state}, ${connect.tasks.length} ${connect.tasks.length === 1 ? "task" : "tasks"} RUNNING`);
  if (slot) parts.push(`slot lag ${slot.lagBytes === null ? "unknown" : bytes(slot.lagBytes)}`);
  return transition(previous, "OK", parts.length > 0 ? parts.join(", ") : "nothing to evaluate", now);
}

// ---------------------------------------------------------------------------------------------
// Topic

/** What the cluster's metadata said about the brokers and the watched topics' replication. */
export interface ClusterObservation {
  /** When the metadata was read (by the health check, which polls on its own schedule). */
  at: number;
  liveBrokers: number;
  missingBrokers: ReadonlyArray<{ nodeId: number }>;
  partitions: number;
  underReplicated: number;
  offline: number;
  /** null when min.insync.replicas is not known. */
  belowMinIsr: number | null;
}

export interface TopicObservation {
  at: number;
  /** Why the topic could not be read (Kafka unreachable); null when it was. */
  error: string | null;
  messagesPerSec: number | null;
  /** The latest cluster metadata; null when it could not be read. */
  cluster: ClusterObservation | null;
}

/**
 *  - STOP: Kafka unreachable; or a partition of the watched topics has no leader (offline: nothing
 *    is written to it or read from it); or one has fewer in-sync replicas than the topic's
 *    min.insync.replicas (the broker refuses writes with acks=all, which Kafka Connect's producers use).
 *  - WARN: a broker is missing or partitions are under-replicated: Kafka still serves, with less
 *    redundancy than configured (one more failure away from the above).
 *  - OK otherwise. Cluster metadata older than staleAfterMs is not judged.
 * All are facts of the latest observation, decided at once.
 */
export function evaluateTopic(
  history: readonly TopicObservation[],
  previous: StageHealth | null,
  now: number,
  thresholds: Partial<HealthThresholds> = {},
): StageHealth {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
  const gate = staleness(history, now, t);
  if (gate) return transition(previous, "UNKNOWN", gate, now);
  const latest = history.at(-1)!;
  if (latest.error !== null) return transition(previous, "STOP", `Kafka unreachable: ${latest.error}`, now);

  const cluster = latest.cluster !== null && now - latest.cluster.at <= t.staleAfterMs ? latest.cluster : null;
  const problems = cluster ? replicationProblems(cluster) : null;
  if (cluster && problems) {
    const stopped = cluster.offline > 0 || (cluster.belowMinIsr ?? 0) > 0;
    return transition(previous, stopped ? "STOP" : "WARN", problems, now);
  }
  const expected = cluster ? cluster.liveBrokers + cluster.missingBrokers.length : 0;
  const brokers = cluster ? `${count(cluster.liveBrokers)} of ${count(expected)} ${expected === 1 ? "broker" : "brokers"}, ` : "";
  const throughput = latest.messagesPerSec === null ? "throughput unknown" : `${rate(latest.messagesPerSec)} messages/s`;
  return transition(previous, "OK", `reachable, ${brokers}${throughput}`, now);
}

// ---------------------------------------------------------------------------------------------
// Shared rules and wording

/** The reason for UNKNOWN when there is no fresh observation; null when there is one. */
function staleness(history: ReadonlyArray<{ at: number }>, now: number, t: HealthThresholds): string | null {
  const latest = history.at(-1);
  if (!latest) return "no observation yet";
  const ageMs = now - latest.at;
  if (ageMs > t.staleAfterMs) return `no observation for ${formatDuration(ageMs)}`;
  return null;
}

/** The reason for UNKNOWN while the history is shorter than minHistoryMs; null once it is long enough. */
function collectingHistory(history: ReadonlyArray<{ at: number }>, t: HealthThresholds): string | null {
  const spanMs = history.length === 0 ? 0 : history.at(-1)!.at - history[0]!.at;
  if (spanMs >= t.minHistoryMs) return null;
  return `collecting observations (${formatDuration(spanMs)} of ${formatDuration(t.minHistoryMs)})`;
}

interface Growth {
  from: number;
  to: number;
  spanMs: number;
}

/**
 * Whether a value grew across the last `spanMs`: the history must reach back that far (the newest
 * point at or before the start anchors it), and every value of the span's last third must exceed
 * every value of its first third. The middle third is left out so that the noise around one
 * moment cannot decide; a sawtooth (periodic commits, polls) counts as growth only when the value
 * rose by more than the teeth. Needs no threshold of its own.
 */
export function grewAcross(points: ReadonlyArray<{ at: number; value: number }>, spanMs: number): Growth | null {
  const latest = points.at(-1);
  if (!latest) return null;
  const start = latest.at - spanMs;
  let anchor = -1;
  for (let i = points.length - 1; i >= 0; i--) {
    if (points[i]!.at <= start) {
      anchor = i;
      break;
    }
  }
  if (anchor < 0) return null;
  const span = points.slice(anchor);
  const first = span[0]!;
  const third = (latest.at - first.at) / 3;
  let earlyMax = Number.NEGATIVE_INFINITY;
  let lateMin = Number.POSITIVE_INFINITY;
  for (const point of span) {
    if (point.at <= first.at + third) earlyMax = Math.max(earlyMax, point.value);
    else if (point.at >= latest.at - third) lateMin = Math.min(lateMin, point.value);
  }
  if (!(lateMin > earlyMax)) return null;
  return { from: first.value, to: latest.value, spanMs: latest.at - first.at };
}

function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function rate(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: value < 10 ? 2 : 1 });
}

const BYTE_UNITS = ["bytes", "kB", "MB", "GB", "TB"];

/** 1024-based, with PostgreSQL's pg_size_pretty unit names, which a DBA compares it with. */
function bytes(value: number): string {
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(scaled)} bytes` : `${Number(scaled.toFixed(1))} ${BYTE_UNITS[unit]}`;
}
