import type { DegradedPartition, KafkaReplication, MissingBroker } from "@/lib/contracts/health";
import type { ClusterMetadata, LiveBroker } from "./cluster-metadata";

/**
 * The replication state of the watched topics from one metadata answer: which brokers are
 * expected but missing, which partitions are under-replicated, offline or below min.insync.replicas.
 * Pure, apart from the memory of brokers seen earlier, which the caller keeps.
 */

/**
 * Brokers remembered beyond the current metadata. A live view of a cluster larger than this is out
 * of scope; where broker ids change over time (replaced nodes), the ones seen least recently are
 * forgotten first, so the memory stays bounded.
 */
export const MAX_REMEMBERED_BROKERS = 256;
/**
 * Degraded partitions listed in a report (all of them are counted): enough for an operator to see
 * which ones and where their replicas are; the report is sent with every health check.
 */
export const MAX_DEGRADED_PARTITIONS_LISTED = 20;

/** Kafka's leader id of a partition without a leader. */
const NO_LEADER = -1;

/**
 * The brokers this process has seen, with the address each had, so that a broker that goes away is
 * reported missing even when it holds no replica of the watched topics. A broker removed from the
 * cluster on purpose therefore stays "missing" until the process restarts (or until
 * MAX_REMEMBERED_BROKERS newer ones push it out).
 */
export class BrokerMemory {
  readonly #max: number;
  /** nodeId → "host:port"; Map order is the order of last sighting, oldest first. */
  readonly #seen = new Map<number, string>();

  constructor(max = MAX_REMEMBERED_BROKERS) {
    this.#max = max;
  }

  remember(brokers: readonly LiveBroker[]): void {
    for (const { nodeId, host, port } of brokers) {
      this.#seen.delete(nodeId);
      this.#seen.set(nodeId, `${host}:${port}`);
    }
    for (const nodeId of this.#seen.keys()) {
      if (this.#seen.size <= this.#max) break;
      this.#seen.delete(nodeId);
    }
  }

  ids(): number[] {
    return [...this.#seen.keys()];
  }

  addressOf(nodeId: number): string | null {
    return this.#seen.get(nodeId) ?? null;
  }
}

/**
 * `minInsyncReplicas`: each watched topic's setting; when a found topic's is unknown, partitions
 * below it are not counted (null).
 */
export function replicationState(
  metadata: ClusterMetadata,
  watchedTopics: readonly string[],
  remembered: BrokerMemory,
  minInsyncReplicas: ReadonlyMap<string, number> | null,
): KafkaReplication {
  const watched = new Set(watchedTopics);
  // A topic the cluster does not have (error, no partitions) is not judged here: the offsets poll reports it.
  const topics = metadata.topics.filter((t) => watched.has(t.topic) && t.partitions.length > 0).sort((a, b) => a.topic.localeCompare(b.topic));

  const live = new Set(metadata.brokers.map((broker) => broker.nodeId));
  const expected = new Set([...live, ...remembered.ids()]);
  for (const topic of topics) for (const p of topic.partitions) for (const replica of p.replicas) expected.add(replica);
  const missingBrokers: MissingBroker[] = [...expected]
    .filter((nodeId) => !live.has(nodeId))
    .sort((a, b) => a - b)
    .map((nodeId) => ({ nodeId, lastSeenAt: remembered.addressOf(nodeId) }));

  const knowsMinIsr = minInsyncReplicas !== null && topics.every((t) => minInsyncReplicas.has(t.topic));
  let partitions = 0;
  let underReplicated = 0;
  let belowMinIsr = 0;
  const offlineList: DegradedPartition[] = [];
  const underList: DegradedPartition[] = [];
  for (const topic of topics) {
    const minIsr = knowsMinIsr ? minInsyncReplicas.get(topic.topic)! : null;
    for (const p of topic.partitions) {
      partitions += 1;
      const offline = p.leader === NO_LEADER;
      const under = p.isr.length < p.replicas.length;
      if (under) underReplicated += 1;
      if (!offline && minIsr !== null && p.isr.length < minIsr) belowMinIsr += 1;
      if (offline || under) {
        const entry = { topic: topic.topic, partition: p.partition, leader: offline ? null : p.leader, replicas: p.replicas, isr: p.isr };
        (offline ? offlineList : underList).push(entry);
      }
    }
  }

  return {
    topics: topics.map((t) => t.topic),
    expectedBrokers: [...expected].sort((a, b) => a - b),
    missingBrokers,
    partitions,
    underReplicated,
    offline: offlineList.length,
    belowMinIsr: knowsMinIsr ? belowMinIsr : null,
    // Offline ones first: they are the worse.
    degradedPartitions: [...offlineList, ...underList].slice(0, MAX_DEGRADED_PARTITIONS_LISTED),
  };
}
