import type { Admin } from "kafkajs";
import type { ConsumerGroupStats, TopicStats } from "@/lib/contracts/metrics";
import type { Logger } from "@/server/log";
import type { KafkaAdminConnection } from "./admin";
import { describeKafkaError, hasKafkaErrorType } from "./errors";
import { isOutboxLensGroup } from "./groups";
import { consumeRate, offsetRate, partitionLag, sumKnown, timeLag } from "./lag";
import { CONSUMER_PROTOCOL_TYPE, membersOwning, partitionOwners, type DescribedMember, type GroupMemberOwnership } from "./member-assignment";
import { readCommittedOffsets, readTopicOffsets, topicPartitions, type InternalCluster } from "./offset-requests";
import type { TopicTail } from "./tail";

/**
 * Polls, through the shared admin connection, what Kafka itself knows about the outbox topic and
 * its consumers: start and end offsets per partition (→ messages per second from end-offset
 * deltas, exact whatever the tail reads), and for each monitored consumer group its state,
 * members, committed offsets (→ lag, consume rate) and, with the tail's offset → timestamp index,
 * time lag. The caller schedules {@link OffsetPoller.poll} (every second by default).
 *
 * When Kafka does not answer, a poll returns the last values it had, marked stale and with the
 * reason: a dashboard showing zeros during an outage would show wrong numbers.
 */

/** How often the caller should poll: the dashboard's snapshots come once a second. */
export const OFFSET_POLL_INTERVAL_MS = 1_000;
/**
 * Partition offsets (each group's committed ones, and the topic's end and start offsets) read per
 * second at most. A reading costs ~1.8 µs of process CPU per partition offset, judging the
 * groups' health on it included (bench:lag: 3.7–4.0% of one core for 1,000 partitions × 20
 * groups read every second; KafkaJS's own codecs alone cost ~10 µs an offset). 22,000 a second
 * keeps lag polling within ~4% of one core: 1,000 partitions with up to 20 groups, or 100
 * partitions with up to the 32 groups monitored, are read every second; 1,000 × 32 every 1.6 s;
 * the snapshot says how often.
 */
export const MAX_OFFSET_READS_PER_SECOND = 22_000;
/** A poll due within this much of the next tick is taken now: ticks come every second, not exactly on the spacing. */
const POLL_SPACING_TOLERANCE_MS = 100;
/** Deadline of each admin round trip of a poll (groups, then end offsets); polls come every second. */
export const OFFSET_POLL_TIMEOUT_MS = 2_000;
/** Discovered groups are looked up again this often: groups come and go far more slowly than offsets move. */
export const GROUP_DISCOVERY_REFRESH_MS = 30_000;
/** The dashboard shows a handful of groups; a cluster with hundreds of groups on one topic is out of scope for a live view. */
export const MAX_MONITORED_GROUPS = 32;
/** Discovery asks each group for its offsets on the topic: one request per group, so the scan is bounded. */
export const MAX_GROUPS_SCANNED_IN_DISCOVERY = 500;
/** Partitions reported per topic (the lowest-numbered ones): bounds every per-partition list of a snapshot. */
export const MAX_PARTITIONS = 1_024;
/** Admin requests in flight at once within a poll (per-group offset fetches). */
export const ADMIN_CONCURRENCY = 8;
/** State of a group whose description could not be read (e.g. a KIP-848 group, which DescribeGroups does not describe). */
export const UNKNOWN_GROUP_STATE = "Unknown";
/**
 * What a group read meets while the group's coordinator moves to another broker (one died, was
 * fenced or came back): the broker asked is no longer, or not yet, the coordinator.
 */
const COORDINATOR_MOVING = new Set(["NOT_COORDINATOR_FOR_GROUP", "GROUP_COORDINATOR_NOT_AVAILABLE", "GROUP_LOAD_IN_PROGRESS"]);
/**
 * Pause before the groups are read once more after such an error: the next FindCoordinator names
 * the new coordinator, which loads a group's offsets within a fraction of a second on a small
 * cluster; the poll's deadline (2 s) still bounds the whole read.
 */
const COORDINATOR_MOVE_PAUSE_MS = 300;

/** A group's stats before the health rules have run. */
export type ConsumerGroupOffsets = Omit<ConsumerGroupStats, "health">;

/** What the poller reads from the tail: time lag needs its index; bytes and ops come only from a reader. */
export type TailView = Pick<TopicTail, "timestampAt" | "stats">;

/**
 * The offset reads of a poll, on the admin a poll runs with: the topic's partitions, a group's
 * committed offsets, the topic's start and end offsets. By default offset-requests.ts on the
 * admin's own cluster; unit tests answer from memory.
 */
export interface OffsetReads {
  partitions(admin: Admin, topic: string): Promise<Int32Array>;
  /** By partition number; NO_OFFSET (-1) where the group has none. */
  committed(admin: Admin, groupId: string, topic: string, partitions: Int32Array): Promise<Float64Array>;
  /** Sorted by partition. */
  topicOffsets(admin: Admin, topic: string): Promise<TopicPartitionOffsets[]>;
}

/** {@link OffsetReads} through offset-requests.ts, on the cluster of each admin the connection hands out. */
export function clusterOffsetReads(connection: Pick<KafkaAdminConnection, "clusterOf">): OffsetReads {
  const cluster = (admin: Admin) => connection.clusterOf(admin) as InternalCluster;
  return {
    partitions: (admin, topic) => topicPartitions(cluster(admin), topic),
    committed: (admin, groupId, topic, partitions) => readCommittedOffsets(cluster(admin), groupId, topic, partitions),
    topicOffsets: async (admin, topic) => {
      const { partitions, starts, ends } = await readTopicOffsets(cluster(admin), topic);
      return Array.from(partitions, (partition, i) => ({ partition, start: starts[i]!, end: ends[i]! }));
    },
  };
}

export interface OffsetPollerOptions {
  admin: KafkaAdminConnection;
  topic: string;
  /** Groups to monitor; when empty or absent, the groups with committed offsets on the topic are discovered. */
  groups?: readonly string[];
  /**
   * Groups always monitored alongside the discovered ones: the pipeline's own processor, which
   * has nothing committed until its first event and would otherwise be missing from a fresh
   * pipeline's view. Ignored when `groups` is set.
   */
  alwaysMonitor?: readonly string[];
  /** The live tail, for time lag, bytes per second and the by-op breakdown; without it those are null or empty. */
  tail?: TailView | null;
  /** How offsets are read; {@link clusterOffsetReads} of `admin` when absent. */
  reads?: OffsetReads;
  timeoutMs?: number;
  logger?: Logger;
  now?: () => number;
  /** Partition offsets read per second at most (default {@link MAX_OFFSET_READS_PER_SECOND}); bench:lag also measures reads every second, unbudgeted. */
  maxOffsetReadsPerSecond?: number;
}

export interface OffsetSnapshot {
  /** When the values were read from Kafka; null when no poll has succeeded yet. */
  polledAt: number | null;
  /** True when the last poll failed and these are the values of an earlier one. */
  stale: boolean;
  /** Why the last poll failed; null when it succeeded. */
  error: string | null;
  /**
   * Time between the end-offset reads the rates were computed from; null on the first poll. After
   * failed polls it spans the outage, and the rates are the average over it.
   */
  intervalMs: number | null;
  topic: TopicStats;
  groups: ConsumerGroupOffsets[];
}

export interface TopicPartitionOffsets {
  partition: number;
  start: number;
  end: number;
}

/** With the end offset as the contract's text, made once per read for all groups. */
interface PartitionRead extends TopicPartitionOffsets {
  endText: string;
}

interface GroupReading {
  groupId: string;
  state: string;
  protocolType: string;
  members: DescribedMember[];
  /** By partition number: the committed offset (-1: none). */
  committed: Float64Array;
}

export class OffsetPoller {
  readonly #admin: KafkaAdminConnection;
  readonly #reads: OffsetReads;
  readonly #topic: string;
  readonly #configuredGroups: readonly string[];
  readonly #tail: TailView | null;
  readonly #timeoutMs: number;
  readonly #logger: Logger | null;
  readonly #now: () => number;

  #latest: OffsetSnapshot | null = null;
  #inFlight: Promise<OffsetSnapshot> | null = null;
  #discovered: { groups: string[]; at: number } | null = null;
  readonly #alwaysMonitor: string[];
  #previousEnds: { at: number; ends: Map<number, number> } | null = null;
  /** Each group's last reading: when, its committed offsets and the rows made of them. */
  readonly #previousCommitted = new Map<string, { at: number; offsets: Float64Array; rows: ConsumerGroupOffsets["partitions"] }>();
  #lastLoggedError: string | null = null;
  /** Time between reads the budget allows for the topic and groups of the last read. */
  #spacingMs = OFFSET_POLL_INTERVAL_MS;
  readonly #maxReadsPerSecond: number;

  constructor(options: OffsetPollerOptions) {
    this.#admin = options.admin;
    this.#reads = options.reads ?? clusterOffsetReads(options.admin);
    this.#topic = options.topic;
    this.#configuredGroups = [...new Set(options.groups ?? [])].slice(0, MAX_MONITORED_GROUPS);
    this.#alwaysMonitor = [...new Set(options.alwaysMonitor ?? [])];
    this.#tail = options.tail ?? null;
    this.#timeoutMs = options.timeoutMs ?? OFFSET_POLL_TIMEOUT_MS;
    this.#logger = options.logger ?? null;
    this.#now = options.now ?? Date.now;
    this.#maxReadsPerSecond = options.maxOffsetReadsPerSecond ?? MAX_OFFSET_READS_PER_SECOND;
  }

  /** The last snapshot returned by {@link poll}, or null before the first. */
  get latest(): OffsetSnapshot | null {
    return this.#latest;
  }

  /**
   * One poll; a call while one is running shares it. When the budget spaces reads further apart
   * than the caller's ticks, a call before the next read is due returns the last reading. Never
   * rejects.
   */
  poll(): Promise<OffsetSnapshot> {
    const latest = this.#latest;
    if (!this.#inFlight && latest && !latest.stale && latest.polledAt !== null && this.#now() < latest.polledAt + this.#spacingMs - POLL_SPACING_TOLERANCE_MS) {
      return Promise.resolve(latest);
    }
    if (!this.#inFlight) {
      this.#inFlight = this.#poll().finally(() => {
        this.#inFlight = null;
      });
    }
    return this.#inFlight;
  }

  /** The monitored groups: the configured ones, or those discovered on the topic (cached for 30 s). */
  async monitoredGroups(): Promise<string[]> {
    if (this.#configuredGroups.length > 0) return [...this.#configuredGroups];
    const now = this.#now();
    if (this.#discovered && now - this.#discovered.at < GROUP_DISCOVERY_REFRESH_MS) return [...this.#discovered.groups];
    const discovered = await this.#admin.run(`Kafka (consumer groups of ${this.#topic})`, this.#timeoutMs, (admin) => discoverGroups(admin, this.#reads, this.#topic));
    const groups = [...new Set([...this.#alwaysMonitor, ...discovered])].slice(0, MAX_MONITORED_GROUPS);
    this.#discovered = { groups, at: now };
    return [...groups];
  }

  async #poll(): Promise<OffsetSnapshot> {
    try {
      const snapshot = await this.#read();
      if (this.#lastLoggedError !== null) this.#logger?.info(`offsets of ${this.#topic} readable again`);
      this.#lastLoggedError = null;
      this.#latest = snapshot;
      return snapshot;
    } catch (error) {
      const reason = describeKafkaError(error);
      if (reason !== this.#lastLoggedError) this.#logger?.warn(`offsets of ${this.#topic} not readable: ${reason}`);
      this.#lastLoggedError = reason;
      const stale = this.#staleSnapshot(reason);
      this.#latest = stale;
      return stale;
    }
  }

  async #read(): Promise<OffsetSnapshot> {
    const topic = this.#topic;
    const groupIds = await this.monitoredGroups();
    // Committed offsets first, end offsets after: the end is then never older than a committed
    // offset it is compared with, and lag is not understated.
    const groups = await this.#admin.run(`Kafka (offsets of ${groupIds.length} consumer groups)`, this.#timeoutMs, (admin) =>
      readGroupsAcrossCoordinatorMove(admin, this.#reads, topic, groupIds),
    );
    const groupsReadAt = this.#now();
    const topicOffsets = await this.#admin.run(`Kafka (end offsets of ${topic})`, this.#timeoutMs, (admin) => this.#reads.topicOffsets(admin, topic));
    const readAt = this.#now();

    // Made field by field: objects made by spreading ({ ...p, endText }) came out with a shape V8
    // reads ~10× slower, and every group's rows read each of them once per reading.
    const partitions: PartitionRead[] = topicOffsets.slice(0, MAX_PARTITIONS).map(({ partition, start, end }) => ({ partition, start, end, endText: String(end) }));

    // Each group's committed offsets, and the end and start offsets (both read each time).
    const reads = topicOffsets.length * (groupIds.length + 2);
    this.#spacingMs = Math.max(OFFSET_POLL_INTERVAL_MS, Math.ceil((reads / this.#maxReadsPerSecond) * 1000));

    const previous = this.#previousEnds;
    const intervalMs = previous ? readAt - previous.at : null;
    this.#previousEnds = { at: readAt, ends: new Map(partitions.map((p) => [p.partition, p.end])) };

    const tailTopic = this.#tail?.stats(readAt).topics.find((t) => t.topic === topic) ?? null;
    const tailBytes = new Map(tailTopic?.partitions.map((p) => [p.partition, p.bytesPerSec]) ?? []);
    const throughput = partitions.map(({ partition, start, end, endText }) => ({
      partition,
      startOffset: String(start),
      endOffset: endText,
      messagesPerSec: previous && intervalMs !== null ? offsetRate(previous.ends.get(partition), end, intervalMs) : null,
      bytesPerSec: tailBytes.get(partition) ?? null,
    }));

    const topicStats: TopicStats = {
      topic,
      partitions: throughput,
      messagesPerSec: sumKnown(throughput.map((p) => p.messagesPerSec)),
      bytesPerSec: tailTopic?.bytesPerSec ?? null,
      byOp: tailTopic?.byOp ?? {},
      byEventType: tailTopic?.byEventType ?? {},
      offsetsReadEveryMs: this.#spacingMs,
      error: null,
    };

    return {
      polledAt: readAt,
      stale: false,
      error: null,
      intervalMs,
      topic: topicStats,
      groups: groups.map((group) => this.#groupStats(group, partitions, groupsReadAt, readAt)),
    };
  }

  #groupStats(group: GroupReading, partitions: readonly PartitionRead[], committedAt: number, now: number): ConsumerGroupOffsets {
    const topic = this.#topic;
    const tail = this.#tail;
    const members: GroupMemberOwnership[] = membersOwning(group.members, topic, group.protocolType);
    const owners = partitionOwners(members);
    const previous = this.#previousCommitted.get(group.groupId);

    let totalLag = 0;
    let maxTimeLagMs: number | null = 0;
    const rows: ConsumerGroupOffsets["partitions"] = new Array(partitions.length);
    for (let i = 0; i < partitions.length; i++) {
      const { partition, start, end, endText } = partitions[i]!;
      const committed = group.committed[partition];
      const committedOffset = committed !== undefined && committed >= 0 ? committed : null;
      const lag = partitionLag(end, start, committedOffset);
      const timeLagMs = lag > 0 ? timeLag(lag, tail?.timestampAt(topic, partition, committedOffset ?? start), now) : 0;
      totalLag += lag;
      // One unknown time lag on a lagging partition makes the group's maximum unknown: the
      // known ones would understate it.
      maxTimeLagMs = timeLagMs === null || maxTimeLagMs === null ? null : Math.max(maxTimeLagMs, timeLagMs);
      // The last reading's text while the offset has not moved (most partitions of a big topic in
      // a given second): printing 20,000 offsets a second was a third of a reading's cost, and
      // the collector's health history recognises the same text without parsing it again.
      const before = previous?.rows[i];
      rows[i] = {
        topic,
        partition,
        committedOffset:
          committedOffset === null ? null : before !== undefined && before.partition === partition && previous!.offsets[partition] === committed ? before.committedOffset : String(committedOffset),
        endOffset: endText,
        lag,
        timeLagMs,
        owner: owners.get(partition) ?? null,
      };
    }

    this.#previousCommitted.set(group.groupId, { at: committedAt, offsets: group.committed, rows });

    return {
      groupId: group.groupId,
      state: group.state,
      members: members.map(({ memberId, clientId, host, partitions: owned }) => ({ memberId, clientId, host, partitions: owned })),
      totalLag,
      maxTimeLagMs,
      consumeRate: consumeRate(previous?.offsets, group.committed, previous ? committedAt - previous.at : 0),
      partitions: rows,
    };
  }

  #staleSnapshot(reason: string): OffsetSnapshot {
    const last = this.#latest;
    if (last && last.polledAt !== null) {
      return { ...last, stale: true, error: reason, topic: { ...last.topic, error: reason } };
    }
    return {
      polledAt: null,
      stale: false,
      error: reason,
      intervalMs: null,
      topic: { topic: this.#topic, partitions: [], messagesPerSec: null, bytesPerSec: null, byOp: {}, byEventType: {}, offsetsReadEveryMs: this.#spacingMs, error: reason },
      groups: [],
    };
  }
}

/**
 * The groups that have committed offsets on `topic`, sorted, without Outbox Lens's own groups and
 * without Kafka Connect's worker groups (protocol type "connect", which commit nothing on topics).
 */
export async function discoverGroups(admin: Admin, reads: OffsetReads, topic: string): Promise<string[]> {
  const { groups } = await admin.listGroups();
  const candidates = groups
    .filter(({ groupId, protocolType }) => !isOutboxLensGroup(groupId) && (protocolType === CONSUMER_PROTOCOL_TYPE || protocolType === ""))
    .map(({ groupId }) => groupId)
    .sort()
    .slice(0, MAX_GROUPS_SCANNED_IN_DISCOVERY);
  if (candidates.length === 0) return [];
  const partitions = await reads.partitions(admin, topic);
  const committedOnTopic = await mapWithConcurrency(candidates, ADMIN_CONCURRENCY, async (groupId) => {
    const offsets = await reads.committed(admin, groupId, topic, partitions);
    return offsets.some((offset) => offset >= 0);
  });
  return candidates.filter((_, i) => committedOnTopic[i]).slice(0, MAX_MONITORED_GROUPS);
}

/** Whether a group read failed because the group's coordinator is moving to another broker. */
export function coordinatorMoving(error: unknown): boolean {
  return hasKafkaErrorType(error, COORDINATOR_MOVING);
}

/**
 * The groups read once more, after a pause, when a coordinator was moving: KafkaJS looks the
 * coordinator up again on the next call. Without it, the poll right after a broker of a cluster
 * died or returned would fail, and the stages would show "Kafka unreachable" for a second while
 * the cluster answers.
 */
async function readGroupsAcrossCoordinatorMove(admin: Admin, reads: OffsetReads, topic: string, groupIds: readonly string[]): Promise<GroupReading[]> {
  try {
    return await readGroups(admin, reads, topic, groupIds);
  } catch (error) {
    if (!coordinatorMoving(error)) throw error;
    await new Promise((resolve) => setTimeout(resolve, COORDINATOR_MOVE_PAUSE_MS));
    return readGroups(admin, reads, topic, groupIds);
  }
}

async function readGroups(admin: Admin, reads: OffsetReads, topic: string, groupIds: readonly string[]): Promise<GroupReading[]> {
  if (groupIds.length === 0) return [];
  const descriptions = await describeEach(admin, groupIds);
  const partitions = await reads.partitions(admin, topic);
  const committed = await mapWithConcurrency(groupIds, ADMIN_CONCURRENCY, (groupId) => reads.committed(admin, groupId, topic, partitions));
  return groupIds.map((groupId, i) => {
    const description = descriptions.get(groupId);
    return {
      groupId,
      state: description?.state ?? UNKNOWN_GROUP_STATE,
      protocolType: description?.protocolType ?? "",
      members: description?.members ?? [],
      committed: committed[i]!,
    };
  });
}

interface GroupDescriptionReading {
  state: string;
  protocolType: string;
  members: DescribedMember[];
}

/**
 * DescribeGroups for all groups in one request per coordinator. KafkaJS fails the whole request
 * when one group has an error (a group using the KIP-848 protocol, which DescribeGroups does not
 * describe), so on failure each group is described on its own and the failing ones are left out.
 */
async function describeEach(admin: Admin, groupIds: readonly string[]): Promise<Map<string, GroupDescriptionReading>> {
  const byId = new Map<string, GroupDescriptionReading>();
  const keep = (groups: Awaited<ReturnType<Admin["describeGroups"]>>["groups"]) => {
    for (const group of groups) {
      byId.set(group.groupId, {
        state: group.state,
        protocolType: group.protocolType,
        members: group.members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberAssignment: m.memberAssignment ?? null,
        })),
      });
    }
  };
  try {
    keep((await admin.describeGroups([...groupIds])).groups);
  } catch (error) {
    // Left to the caller, which asks again: described one by one, the groups of a moving
    // coordinator would be left out and read as groups without members.
    if (coordinatorMoving(error)) throw error;
    const results = await mapWithConcurrency(groupIds, ADMIN_CONCURRENCY, (groupId) =>
      admin.describeGroups([groupId]).then(
        (described) => described.groups,
        () => [],
      ),
    );
    for (const groups of results) keep(groups);
  }
  return byId;
}

/** Like Promise.all over `items.map(operation)`, with at most `limit` operations running at once. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, operation: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await operation(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
