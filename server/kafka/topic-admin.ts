import type { KafkaAdminConnection } from "./admin";

/** Deadline of topic creation and deletion: the controller answers within a second when healthy. */
export const TOPIC_ADMIN_TIMEOUT_MS = 15_000;

/** Creates a topic (no-op when it exists), with `config` as its topic configs (e.g. `retention.ms`), and waits until its partitions have leaders. */
export async function createTopic(admin: KafkaAdminConnection, topic: string, partitions: number, replicationFactor = 1, config: Record<string, string> = {}): Promise<void> {
  const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
  await admin.run(`creating topic ${topic}`, TOPIC_ADMIN_TIMEOUT_MS, (a) =>
    a.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor, configEntries }], waitForLeaders: true }),
  );
}

export async function deleteTopic(admin: KafkaAdminConnection, topic: string): Promise<void> {
  await admin.run(`deleting topic ${topic}`, TOPIC_ADMIN_TIMEOUT_MS, (a) => a.deleteTopics({ topics: [topic] }));
}

/** End offset of each partition of a topic. */
export async function topicEndOffsets(admin: KafkaAdminConnection, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.run(`end offsets of ${topic}`, TOPIC_ADMIN_TIMEOUT_MS, (a) => a.fetchTopicOffsets(topic));
  return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
}

/** Commits offsets for a group that has no active members (Kafka refuses otherwise): a consumer group's position, set from outside. */
export async function commitGroupOffsets(admin: KafkaAdminConnection, groupId: string, topic: string, offsets: ReadonlyMap<number, number>): Promise<void> {
  await admin.run(`committing offsets of ${groupId}`, TOPIC_ADMIN_TIMEOUT_MS, (a) =>
    a.setOffsets({ groupId, topic, partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: String(offset) })) }),
  );
}

export async function deleteGroups(admin: KafkaAdminConnection, groupIds: string[]): Promise<void> {
  await admin.run(`deleting ${groupIds.length} consumer groups`, TOPIC_ADMIN_TIMEOUT_MS, (a) => a.deleteGroups(groupIds));
}

/** Deadline of the offset lookups a browse or a search starts with. */
export const OFFSET_LOOKUP_TIMEOUT_MS = 5_000;

/** Each partition's first and next offsets (low and high watermarks), in partition order. */
export async function topicWatermarks(admin: KafkaAdminConnection, topic: string): Promise<{ partition: number; low: number; high: number }[]> {
  const offsets = await admin.run(`offsets of ${topic}`, OFFSET_LOOKUP_TIMEOUT_MS, (a) => a.fetchTopicOffsets(topic));
  return offsets.map(({ partition, low, high }) => ({ partition, low: Number(low), high: Number(high) })).sort((a, b) => a.partition - b.partition);
}

/** Each partition's first offset whose timestamp is at or after `timeMs`; -1 where there is none yet. */
export async function offsetsAtTime(admin: KafkaAdminConnection, topic: string, timeMs: number): Promise<Map<number, number>> {
  const offsets = await admin.run(`offsets of ${topic} at ${new Date(timeMs).toISOString()}`, OFFSET_LOOKUP_TIMEOUT_MS, (a) => a.fetchTopicOffsetsByTimestamp(topic, timeMs));
  return new Map(offsets.map(({ partition, offset }) => [partition, Number(offset)]));
}
