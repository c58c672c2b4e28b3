import type { KafkaReplication } from "@/lib/contracts/health";

/**
 * A Kafka cluster's replication problems in words, worst first, for the topic stage's rule, the
 * server's log and the health panel: "broker 2 missing; 3 of 3 partitions under-replicated".
 */

type ReplicationCounts = Pick<KafkaReplication, "partitions" | "underReplicated" | "offline" | "belowMinIsr"> & {
  missingBrokers: ReadonlyArray<{ nodeId: number }>;
};

/** "2", "2 and 3", "1, 2 and 3". */
function idList(ids: readonly number[]): string {
  if (ids.length <= 1) return ids.join("");
  return `${ids.slice(0, -1).join(", ")} and ${ids.at(-1)}`;
}

/** "broker 2 missing", "brokers 2 and 3 missing"; "" when none is. */
export function formatMissingBrokers(ids: readonly number[]): string {
  if (ids.length === 0) return "";
  return `${ids.length === 1 ? "broker" : "brokers"} ${idList(ids)} missing`;
}

function share(count: number, total: number, what: string): string {
  return `${count.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${total === 1 ? "partition" : "partitions"} ${what}`;
}

/** Everything wrong with the replication, worst first; null when nothing is. */
export function replicationProblems(replication: ReplicationCounts): string | null {
  const { partitions, offline, belowMinIsr, underReplicated } = replication;
  const parts: string[] = [];
  if (offline > 0) parts.push(share(offline, partitions, "offline (no leader)"));
  if (belowMinIsr !== null && belowMinIsr > 0) parts.push(share(belowMinIsr, partitions, "below min.insync.replicas (writes with acks=all refused)"));
  const missing = formatMissingBrokers(replication.missingBrokers.map((broker) => broker.nodeId));
  if (missing) parts.push(missing);
  if (underReplicated > 0) parts.push(share(underReplicated, partitions, "under-replicated"));
  return parts.length > 0 ? parts.join("; ") : null;
}
