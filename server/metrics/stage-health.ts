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
 * One health for the consumers stage over its groups: the worst group's status and rule,
 * prefixed with the group's name, and how many others are in that status; UNKNOWN when there are
 * no groups.
 */
export function combineHealth(previous: StageHealth | null | undefined, parts: ReadonlyArray<{ name: string; health: StageHealth }>, now: number): StageHealth {
  let worst: { name: string; health: StageHealth } | undefined;
  for (const part of parts) {
    if (!worst || SEVERITY[part.health.status] > SEVERITY[worst.health.status]) worst = part;
  }
  if (!worst) return transition(previous, "UNKNOWN", "nothing to evaluate", now);
  const others = parts.filter((p) => p !== worst && p.health.status === worst.health.status).length;
  const more = others > 0 ? `; ${others} more ${others === 1 ? "group" : "groups"} alike` : "";
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

/**
 * A group's health: its worst partition's status and rule. Partitions are judged one by one, but
 * only the worst is kept (nothing shows the others, and thousands are judged every second).
 */
export interface ConsumerGroupHealth {
  overall: StageHealth;
}

/** Group states in which no consumer is working. */
const GROUP_STATES_WITHOUT_CONSUMERS = new Set(["Empty", "Dead"]);


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
  observations: ConsumerGroupHistory | readonly ConsumerGroupObservation[],
  previous: ConsumerGroupHealth | null,
  now: number,
  thresholds: Partial<HealthThresholds> = {},
): ConsumerGroupHealth {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
  const history = observations instanceof ConsumerGroupHistory ? observations : ConsumerGroupHistory.of(observations);
  const latest = history.latest;
  const all = (status: StageStatus, rule: string): ConsumerGroupHealth => ({ overall: transition(previous?.overall, status, rule, now) });

  const gate = history.staleness(now, t);
  if (gate) return all("UNKNOWN", gate);
  if (!latest) return all("UNKNOWN", "no observation yet");
  if (latest.error !== null) return all("STOP", `Kafka unreachable: ${latest.error}`);

  const totalLag = latest.partitions.reduce((sum, p) => sum + p.lag, 0);
  const withoutConsumers = latest.memberCount === 0 || GROUP_STATES_WITHOUT_CONSUMERS.has(latest.state);
  if (withoutConsumers && latest.partitions.some((p) => p.lag > t.allowedLag)) {
    return all("STOP", `group has no members (state ${latest.state}) while lag is ${count(totalLag)}`);
  }
  if (withoutConsumers && latest.partitions.length === 0) {
    return all("STOP", `group has no members and no committed offsets (state ${latest.state})`);
  }
  const collecting = history.collecting(t);
  if (collecting) return all("UNKNOWN", collecting);
  if (latest.partitions.length === 0) return all("UNKNOWN", "the group has no offsets on the topic");

  // Statuses first, for every partition; rule texts only for the worst one, which is all the
  // group's health shows (formatting them for thousands of partitions a second was most of the cost).
  const judge = new PartitionJudge(history, now, t);
  let worst = -1;
  let worstStatus: StageStatus = "UNKNOWN";
  let sameAsWorst = 0;
  for (let index = 0; index < latest.partitions.length; index++) {
    const p = latest.partitions[index]!;
    const status = judge.status(p.topic, p.partition);
    if (worst < 0 || SEVERITY[status] > SEVERITY[worstStatus]) {
      worst = index;
      worstStatus = status;
      sameAsWorst = 0;
    } else if (status === worstStatus) {
      sameAsWorst += 1;
    }
  }
  const p = latest.partitions[worst]!;
  const more = sameAsWorst > 0 ? `; ${sameAsWorst} more ${sameAsWorst === 1 ? "partition" : "partitions"} alike` : "";
  return { overall: transition(previous?.overall, worstStatus, `partition ${p.partition} of ${p.topic}: ${judge.rule(p.topic, p.partition)}${more}`, now) };
}

/**
 * The partitions of one evaluation judged one by one. A partition listed by every kept
 * observation (the usual case) is judged from the running summaries its columns keep and, for
 * the growth rule only, a pass over the window's first and last thirds, all in the ring where
 * it lies: at 1,000 partitions × 20 groups a second, copying each partition's series out first
 * (what {@link ConsumerGroupHistory.fill} does) was most of the cost of judging. A partition
 * with gaps (a failed read, or one that did not list it) gets its series copied out without
 * them and judged by {@link evaluatePartition}, which also words the rule.
 */
class PartitionJudge {
  readonly #history: ConsumerGroupHistory;
  readonly #now: number;
  readonly #t: HealthThresholds;
  /** Made when a partition needs its series copied out: most evaluations judge every partition from its summaries. */
  #series: PartitionSeries | null = null;
  readonly #times: Float64Array;
  /** The shared times' window, growth anchor and thirds, for partitions without gaps; null when summaries do not apply. */
  readonly #shape: WindowShape | null;

  constructor(history: ConsumerGroupHistory, now: number, t: HealthThresholds) {
    this.#history = history;
    this.#now = now;
    this.#t = t;
    this.#times = new Float64Array(history.capacity);
    history.times(this.#times);
    this.#shape = history.allowedLag === t.allowedLag ? windowShape(this.#times, history.length, now, t.windowMs) : null;
  }

  status(topic: string, partition: number): StageStatus {
    if (this.#shape) {
      const status = this.#history.judgeWithoutGaps(topic, partition, this.#shape, this.#times, this.#t);
      if (status !== null) return status;
    }
    return evaluatePartition(this.#seriesOf(topic, partition), this.#now, this.#t, null);
  }

  rule(topic: string, partition: number): string {
    const why = { rule: "" };
    evaluatePartition(this.#seriesOf(topic, partition), this.#now, this.#t, why);
    return why.rule;
  }

  #seriesOf(topic: string, partition: number): PartitionSeries {
    this.#series ??= new PartitionSeries(this.#history.capacity);
    this.#history.fill(topic, partition, this.#series, this.#times);
    return this.#series;
  }
}

/**
 * Where the window and the growth rule's thirds fall among the kept observations' times (oldest
 * first), for a partition listed by all of them: the same for every such partition.
 */
interface WindowShape {
  /** Index of the window's first observation (at ≥ now − windowMs); the count of observations when none is. */
  windowStart: number;
  /** Indexes of the growth rule's first third and last third (see {@link grewAcrossColumns}); empty when the history does not reach back over the window. */
  early: Int32Array;
  late: Int32Array;
}

function windowShape(times: Float64Array, length: number, now: number, windowMs: number): WindowShape {
  const thirds = growthThirds(times, length, windowMs);
  return { windowStart: windowStartIndex(times, length, now, windowMs), early: thirds?.early ?? new Int32Array(0), late: thirds?.late ?? new Int32Array(0) };
}

/** Index of the first of `length` times (oldest first) at or after now − windowMs; `length` when none is. */
function windowStartIndex(at: ArrayLike<number>, length: number, now: number, windowMs: number): number {
  let windowStart = length - 1;
  while (windowStart > 0 && at[windowStart - 1]! >= now - windowMs) windowStart--;
  return at[windowStart]! < now - windowMs ? length : windowStart;
}

/** Lag of a partition at an observation that did not list it (or failed): no point. */
const ABSENT = Number.NaN;
/** Committed offset of a partition the group has committed nothing on (the contract's null). */
const NO_COMMITTED_OFFSET = -1;

/**
 * A consumer group's last `capacity` observations (the collector keeps 120, one a second), the
 * partitions' committed offsets and lags in columns: one slot per observation in a ring, a
 * Float64Array pair per partition. The health rules read every partition's whole series every
 * second; held as the observations themselves, that meant keeping every snapshot's partition rows
 * (120 × partitions objects per group) and finding each partition in each of them: ~100 ms per
 * group and second at 1,000 partitions. In columns a partition's series is a copy of two typed
 * arrays, and running summaries kept at each push (when it last caught up, since when its
 * committed offset has not moved, when it last missed an observation) let a partition without
 * gaps be judged without even that copy (see PartitionJudge). Memory: 16 bytes × capacity per
 * partition, 1.9 MiB for 1,024 partitions at 120.
 */
export class ConsumerGroupHistory {
  readonly capacity: number;
  /** Observations pushed since creation; slot of the n-th is n % capacity. */
  #pushed = 0;
  readonly #at: Float64Array;
  #latest: ConsumerGroupObservation | undefined;
  /** Columns by topic, then by partition number (dense: partitions are numbered from 0). */
  readonly #topics = new Map<string, (PartitionColumns | undefined)[]>();
  #partitionCount = 0;

  /**
   * The allowed lag the running summaries count "caught up" by: evaluations with another
   * threshold judge from the series instead.
   */
  readonly allowedLag: number;

  constructor(capacity: number, allowedLag: number = DEFAULT_HEALTH_THRESHOLDS.allowedLag) {
    if (!(capacity >= 1)) throw new Error(`a group history needs room for at least one observation, not ${capacity}`);
    this.capacity = capacity;
    this.allowedLag = allowedLag;
    this.#at = new Float64Array(capacity);
  }

  /** A history of these observations, oldest first (the last `capacity` of them). */
  static of(observations: readonly ConsumerGroupObservation[], capacity = Math.max(1, observations.length), allowedLag?: number): ConsumerGroupHistory {
    const history = new ConsumerGroupHistory(capacity, allowedLag);
    for (const observation of observations) history.push(observation);
    return history;
  }

  get length(): number {
    return Math.min(this.#pushed, this.capacity);
  }

  get latest(): ConsumerGroupObservation | undefined {
    return this.#latest;
  }

  /** Partitions holding columns: those listed by some kept observation. */
  get partitionCount(): number {
    return this.#partitionCount;
  }

  push(observation: ConsumerGroupObservation): void {
    const slot = this.#pushed % this.capacity;
    this.#pushed += 1;
    this.#at[slot] = observation.at;
    this.#latest = observation;
    for (const [topic, partitions] of this.#topics) {
      let left = 0;
      for (let partition = 0; partition < partitions.length; partition++) {
        const columns = partitions[partition];
        if (!columns) continue;
        // Not seen within the kept observations: a partition that is gone takes its columns with it.
        if (this.#pushed - columns.lastSeen >= this.capacity) {
          partitions[partition] = undefined;
          this.#partitionCount -= 1;
          continue;
        }
        // The observation before this one did not list it (or failed): a gap in its series.
        if (columns.lastSeen < this.#pushed - 1) columns.lastGap = this.#pushed - 1;
        columns.lag[slot] = ABSENT;
        left += 1;
      }
      if (left === 0) this.#topics.delete(topic);
    }
    if (observation.error !== null) return;
    let topic: string | undefined;
    let partitions: (PartitionColumns | undefined)[] = [];
    for (const p of observation.partitions) {
      if (p.topic !== topic) {
        topic = p.topic;
        let list = this.#topics.get(topic);
        if (!list) this.#topics.set(topic, (list = []));
        partitions = list;
      }
      let columns = partitions[p.partition];
      if (!columns) {
        columns = {
          lag: new Float64Array(this.capacity).fill(ABSENT),
          committed: new Float64Array(this.capacity),
          committedText: null,
          lastSeen: 0,
          firstSeen: this.#pushed,
          lastGap: 0,
          lastCaughtUp: 0,
          committedSince: this.#pushed,
        };
        partitions[p.partition] = columns;
        this.#partitionCount += 1;
      }
      // The previous listing's slot is still kept: columns not listed for `capacity` observations were dropped above.
      const previousCommitted = columns.lastSeen > 0 ? columns.committed[(columns.lastSeen - 1) % this.capacity]! : undefined;
      // The same text as last time (the poller reuses an unchanged offset's) is not parsed again.
      const committed =
        p.committedOffset === null ? NO_COMMITTED_OFFSET : p.committedOffset === columns.committedText ? previousCommitted! : Number(p.committedOffset);
      columns.committedText = p.committedOffset;
      if (previousCommitted !== undefined && previousCommitted !== committed) columns.committedSince = this.#pushed;
      if (p.lag <= this.allowedLag) columns.lastCaughtUp = this.#pushed;
      columns.lag[slot] = p.lag;
      columns.committed[slot] = committed;
      columns.lastSeen = this.#pushed;
    }
  }

  /** The kept observations' times, oldest first, into `times`: read once per evaluation, shared by every partition's series. */
  times(times: Float64Array): void {
    const count = this.length;
    const start = (this.#pushed - count) % this.capacity;
    const head = Math.min(count, this.capacity - start);
    times.set(this.#at.subarray(start, start + head));
    if (count > head) times.set(this.#at.subarray(0, count - head), head);
  }

  /**
   * The observations of one partition, oldest first, without the failed ones and those that did
   * not list it. `times` is what {@link times} wrote; a partition with gaps gets times of its own.
   */
  fill(topic: string, partition: number, series: PartitionSeries, times: Float64Array): void {
    series.length = 0;
    const columns = this.#topics.get(topic)?.[partition];
    if (!columns) return;
    const count = this.length;
    const capacity = this.capacity;
    const { lag, committed } = series;
    const fromLag = columns.lag;
    const fromCommitted = columns.committed;
    // Element by element from the ring's oldest slot: no view objects per partition (thousands of
    // partitions are filled per evaluation), and the gap check in the same pass.
    let slot = (this.#pushed - count) % capacity;
    let gaps = false;
    for (let i = 0; i < count; i++) {
      const value = fromLag[slot]!;
      lag[i] = value;
      committed[i] = fromCommitted[slot]!;
      if (Number.isNaN(value)) gaps = true;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
    if (!gaps) {
      series.at = times;
      series.length = count;
      return;
    }
    const at = series.ownTimes;
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (Number.isNaN(lag[i]!)) continue;
      at[n] = times[i]!;
      lag[n] = lag[i]!;
      committed[n] = committed[i]!;
      n++;
    }
    series.at = at;
    series.length = n;
  }

  /**
   * The partition's status from its running summaries, as {@link evaluatePartition} would judge
   * its series; null when the kept observations do not all list it (or the thresholds' allowed
   * lag is not the one the summaries count by), and the series must be judged instead.
   * `times` is what {@link times} wrote, `shape` the window over them.
   */
  judgeWithoutGaps(topic: string, partition: number, shape: WindowShape, times: Float64Array, t: HealthThresholds): StageStatus | null {
    const columns = this.#topics.get(topic)?.[partition];
    const count = this.length;
    // Observation numbers (1-based, as #pushed counts them) of the oldest kept and the latest.
    const latest = this.#pushed;
    const oldest = latest - count + 1;
    if (!columns || columns.lastSeen !== latest || columns.firstSeen > oldest || columns.lastGap >= oldest) return null;
    const capacity = this.capacity;
    const { lag, committed } = columns;
    const latestSlot = (latest - 1) % capacity;
    const latestLag = lag[latestSlot]!;
    const latestCommitted = committed[latestSlot]!;
    if (latestLag <= t.allowedLag) return "OK";
    // Index i of the kept observations (oldest first) is observation number oldest + i.
    const windowStart = oldest + shape.windowStart;
    if (shape.windowStart < count && columns.lastCaughtUp >= windowStart) return "OK";

    // The run of newest observations with the same committed offset, all with lag.
    const stuckFrom = Math.max(columns.committedSince, columns.lastCaughtUp + 1, oldest);
    const stuckMs = times[count - 1]! - times[stuckFrom - oldest]!;
    if (stuckMs >= t.consumerStallMs) return "STALL";

    const offsetsMoved = shape.windowStart < count && committed[(windowStart - 1) % capacity] !== latestCommitted;
    if (!offsetsMoved || shape.early.length === 0) return "OK";
    // Lag grew across the window: every lag of its last third above every lag of its first.
    const firstSlot = (oldest - 1) % capacity;
    const { early, late } = shape;
    let earlyMax = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < early.length; k++) {
      const slot = firstSlot + early[k]!;
      const value = lag[slot < capacity ? slot : slot - capacity]!;
      if (value > earlyMax) earlyMax = value;
    }
    for (let k = 0; k < late.length; k++) {
      const slot = firstSlot + late[k]!;
      if (!(lag[slot < capacity ? slot : slot - capacity]! > earlyMax)) return "OK";
    }
    return "WARN";
  }

  staleness(now: number, t: HealthThresholds): string | null {
    return staleness(this.#latest ? [this.#latest] : [], now, t);
  }

  collecting(t: HealthThresholds): string | null {
    // The oldest kept observation is in the slot the next one will take (slot 0 until the ring is full).
    const oldestAt = this.#at[this.#pushed > this.capacity ? this.#pushed % this.capacity : 0]!;
    return collectingHistory(this.#latest ? [{ at: oldestAt }, this.#latest] : [], t);
  }
}

interface PartitionColumns {
  /** By slot; ABSENT where the observation failed or did not list the partition. */
  lag: Float64Array;
  /** By slot; NO_COMMITTED_OFFSET where the group had committed nothing. */
  committed: Float64Array;
  /** The committed offset's text at the last listing (the contract's; null: none). */
  committedText: string | null;
  /** The number of observations pushed when the partition was last listed. */
  lastSeen: number;
  /** …and when it was first listed. */
  firstSeen: number;
  /** …when it was last not listed, or the observation failed (0: never, since it was first listed). */
  lastGap: number;
  /** …when its lag was last at most the history's allowed lag (0: never). */
  lastCaughtUp: number;
  /** …when its committed offset took the value of its latest listing (the run of equal ones, gaps skipped). */
  committedSince: number;
}

/** One partition's series, oldest first: columns reused from partition to partition. */
class PartitionSeries {
  length = 0;
  /** The times: the shared ones when the partition has no gap, else {@link ownTimes}. */
  at: Float64Array;
  readonly ownTimes: Float64Array;
  readonly lag: Float64Array;
  /** NO_COMMITTED_OFFSET where the group had committed nothing. */
  readonly committed: Float64Array;

  constructor(capacity: number) {
    this.ownTimes = new Float64Array(capacity);
    this.at = this.ownTimes;
    this.lag = new Float64Array(capacity);
    this.committed = new Float64Array(capacity);
  }
}

/** The partition's status; with `why`, the reason too (only asked for the worst partition: formatting costs more than judging). */
function evaluatePartition(series: PartitionSeries, now: number, t: HealthThresholds, why: { rule: string } | null): StageStatus {
  const { at, lag, committed } = series;
  const last = series.length - 1;
  const latestLag = lag[last]!;
  const latestCommitted = committed[last]!;
  const windowStart = windowStartIndex(at, series.length, now, t.windowMs);

  if (latestLag <= t.allowedLag) {
    if (why) why.rule = `caught up (lag ${count(latestLag)})`;
    return "OK";
  }
  for (let i = windowStart; i <= last; i++) {
    if (lag[i]! <= t.allowedLag) {
      if (why) why.rule = `lag ${count(latestLag)}, caught up within the last ${formatDuration(t.windowMs)}`;
      return "OK";
    }
  }

  // The run of newest observations with the same committed offset, all with lag.
  let stuckFrom = last;
  for (let i = last; i >= 0; i--) {
    if (committed[i] !== latestCommitted || lag[i]! <= t.allowedLag) break;
    stuckFrom = i;
  }
  const stuckMs = at[last]! - at[stuckFrom]!;
  if (stuckMs >= t.consumerStallMs) {
    if (why) {
      const where = latestCommitted === NO_COMMITTED_OFFSET ? "no committed offset" : `committed offset stuck at ${count(latestCommitted)}`;
      why.rule = `${where} for ${formatDuration(stuckMs)} while lag is ${count(latestLag)}`;
    }
    return "STALL";
  }

  const growth = grewAcrossColumns(at, lag, series.length, t.windowMs);
  const offsetsMoved = windowStart <= last && committed[windowStart] !== latestCommitted;
  if (growth && offsetsMoved) {
    if (why) why.rule = `lag grew from ${count(growth.from)} to ${count(growth.to)} over ${formatDuration(growth.spanMs)} while committed offsets advanced`;
    return "WARN";
  }
  if (why) {
    why.rule = offsetsMoved
      ? `lag ${count(latestLag)}, committed offsets advancing and lag not growing`
      : `lag ${count(latestLag)}, committed offset unchanged for ${formatDuration(stuckMs)}`;
  }
  return "OK";
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
  return grewAcrossColumns(
    points.map((point) => point.at),
    points.map((point) => point.value),
    points.length,
    spanMs,
  );
}

/** {@link grewAcross} over the first `length` entries of two columns: times and values. */
function grewAcrossColumns(at: ArrayLike<number>, values: ArrayLike<number>, length: number, spanMs: number): Growth | null {
  const thirds = growthThirds(at, length, spanMs);
  if (!thirds) return null;
  let earlyMax = Number.NEGATIVE_INFINITY;
  let lateMin = Number.POSITIVE_INFINITY;
  for (const i of thirds.early) earlyMax = Math.max(earlyMax, values[i]!);
  for (const i of thirds.late) lateMin = Math.min(lateMin, values[i]!);
  if (!(lateMin > earlyMax)) return null;
  const anchor = thirds.early[0]!;
  return { from: values[anchor]!, to: values[length - 1]!, spanMs: at[length - 1]! - at[anchor]! };
}

/**
 * The indexes of the first and the last third of the span {@link grewAcross} looks at, among
 * `length` times (oldest first): from the newest time at or before the newest − spanMs (the
 * anchor, first of `early`) to the newest. Null when the times do not reach back that far.
 */
function growthThirds(at: ArrayLike<number>, length: number, spanMs: number): { early: Int32Array; late: Int32Array } | null {
  if (length === 0) return null;
  const last = length - 1;
  const latestAt = at[last]!;
  let anchor = -1;
  for (let i = last; i >= 0; i--) {
    if (at[i]! <= latestAt - spanMs) {
      anchor = i;
      break;
    }
  }
  if (anchor < 0) return null;
  const firstAt = at[anchor]!;
  const third = (latestAt - firstAt) / 3;
  const early: number[] = [];
  const late: number[] = [];
  for (let i = anchor; i <= last; i++) {
    if (at[i]! <= firstAt + third) early.push(i);
    else if (at[i]! >= latestAt - third) late.push(i);
  }
  return { early: Int32Array.from(early), late: Int32Array.from(late) };
}

/** One formatter for every count: toLocaleString builds a new one per call, ~100× slower, and thousands of partitions are judged every second. */
const COUNT_FORMAT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function count(value: number): string {
  return COUNT_FORMAT.format(Math.round(value));
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
