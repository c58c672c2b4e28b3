// The Kafka health check against the real test stack: one metadata request gives the live brokers
// and the watched topics' replication, partition by partition, as the cluster reports them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaHealthSchema } from "@/lib/contracts/health";
import { waitUntil } from "@/stack/lib/proc";
import { readClusterMetadata } from "./cluster-metadata";
import { KafkaHealthCheck } from "./health";
import { ADMIN_TEST_TIMEOUT_MS, createTestTopic, deleteTestTopic, testEnv, testKafka, testStack, type TestKafka } from "./test-fixtures";

const OUTBOX_TOPIC = testEnv.OUTBOX_TOPIC!;
/** min.insync.replicas is read in the background after the first check; a healthy broker answers at once. */
const MIN_ISR_READ_WITHIN_MS = 30_000;

let kafka: TestKafka;
const topics: string[] = [];

beforeAll(() => {
  kafka = testKafka("cluster-health-test");
});

afterAll(async () => {
  for (const topic of topics) await deleteTestTopic(kafka.admin, topic);
  await kafka.close();
});

describe("KafkaHealthCheck", () => {
  it("reports every broker live and the outbox topic fully replicated, leaving out a watched topic the cluster does not have", async () => {
    const absent = `lens-test-absent-${randomUUID().slice(0, 8)}`;
    const check = new KafkaHealthCheck({ connection: kafka.admin, topics: [OUTBOX_TOPIC, absent] });
    const health = await check.check(ADMIN_TEST_TIMEOUT_MS);
    expect(kafkaHealthSchema.parse(health)).toEqual(health);
    expect(health.status).toBe("up");
    const brokerIds = Array.from({ length: testStack.brokers }, (_, i) => i + 1);
    expect(health.detail.brokers.map((broker) => broker.nodeId)).toEqual(brokerIds);
    expect(health.detail.replication).toMatchObject({
      topics: [OUTBOX_TOPIC],
      expectedBrokers: brokerIds,
      missingBrokers: [],
      partitions: testStack.topicPartitions,
      underReplicated: 0,
      offline: 0,
      degradedPartitions: [],
    });

    // The topic's min.insync.replicas comes with a later check; in sync, no partition is below it.
    const belowMinIsr = await waitUntil(async () => {
      const later = await check.check(ADMIN_TEST_TIMEOUT_MS);
      return later.detail.replication?.belowMinIsr === 0 ? "known" : null;
    }, { timeoutMs: MIN_ISR_READ_WITHIN_MS, what: "min.insync.replicas to be read" });
    expect(belowMinIsr).toBe("known");
  });

  it("reads each partition's leader, replicas and in-sync replicas, the topic that does not exist as an error code", async () => {
    const topic = await createTestTopic(kafka.admin, "metadata", 2);
    topics.push(topic);
    const absent = `lens-test-absent-${randomUUID().slice(0, 8)}`;
    const metadata = await readClusterMetadata(kafka.admin, [topic, absent], ADMIN_TEST_TIMEOUT_MS);
    const created = metadata.topics.find((t) => t.topic === topic)!;
    expect(created.errorCode).toBe(0);
    expect(created.partitions.map((p) => p.partition)).toEqual([0, 1]);
    for (const p of created.partitions) {
      // Test topics have one replica: the leader, in sync.
      expect(p).toMatchObject({ errorCode: 0, replicas: [p.leader], isr: [p.leader] });
      expect(metadata.brokers.map((broker) => broker.nodeId)).toContain(p.leader);
    }
    // UNKNOWN_TOPIC_OR_PARTITION, kept as data instead of failing the whole answer.
    expect(metadata.topics.find((t) => t.topic === absent)).toMatchObject({ errorCode: 3, partitions: [] });
  });
});
