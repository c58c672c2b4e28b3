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
