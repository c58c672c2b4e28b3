import type { KafkaAdminConnection } from "./admin";

/** Deadline of topic creation and deletion: the controller answers within a second when healthy. */
export const TOPIC_ADMIN_TIMEOUT_MS = 15_000;

/** Creates a topic (no-op when it exists) and waits until its partitions have leaders. */
export async function createTopic(admin: KafkaAdminConnection, topic: string, partitions: number, replicationFactor = 1): Promise<void> {
  await admin.run(`creating topic ${topic}`, TOPIC_ADMIN_TIMEOUT_MS, (a) =>
    a.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor }], waitForLeaders: true }),
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
