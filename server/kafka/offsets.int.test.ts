// The offset poller against the real test stack: lag as Kafka's own tool reports it, throughput
// from end-offset deltas, time lag from the tail's index, and discovery of the pipeline's groups.
import { randomUUID } from "node:crypto";
import { setTimeout as pace } from "node:timers/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerGroupSchema, topicStatsSchema } from "@/lib/contracts/metrics";
import { waitUntil } from "@/stack/lib/proc";
import { generateOperation } from "@/stack/workload/events";
import { insertEvents } from "@/stack/workload/run";
import { INDEX_RESOLUTION_MS } from "./offset-index";
import { OffsetPoller, type OffsetSnapshot } from "./offsets";
import { TopicTail } from "./tail";
import {
  ADMIN_TEST_TIMEOUT_MS,
  createTestTopic,
  deleteTestTopic,
  describeGroupWithKafkaTool,
  produce,
  testEnv,
  testKafka,
  type TestKafka,
} from "./test-fixtures";

const OUTBOX_TOPIC = testEnv.OUTBOX_TOPIC!;
const PROCESSOR_GROUP = testEnv.PROCESSOR_GROUP_ID!;
const WAIT_MS = 60_000;

let kafka: TestKafka;
const topics: string[] = [];
const groups: string[] = [];

beforeAll(() => {
  kafka = testKafka("offsets-test");
});

afterAll(async () => {
  await kafka.admin.run("delete test groups", ADMIN_TEST_TIMEOUT_MS, (a) => a.deleteGroups(groups)).catch(() => undefined);
  for (const topic of topics) await deleteTestTopic(kafka.admin, topic);
  await kafka.close();
});

function valuesFor(partition: number, count: number, timestampOf: (i: number) => number = () => Date.now()) {
  return Array.from({ length: count }, (_, i) => ({ partition, value: `p${partition}-${i}`, timestamp: String(timestampOf(i)) }));
}

describe("OffsetPoller", () => {
  it("reports per-partition lag and committed offsets exactly as Kafka's ConsumerGroupCommand does, and time lag from the tail", async () => {
    const topic = await createTestTopic(kafka.admin, "lag", 3);
    topics.push(topic);
    const groupId = `lens-test-lag-${randomUUID().slice(0, 8)}`;
    groups.push(groupId);

    // The tail reads the topic from the start, so its index covers every offset the group lags on.
    const tail = new TopicTail({ client: kafka.client, admin: kafka.admin, topics: [topic], logger: kafka.logger });
    await tail.start();
    try {
      // Known record times, 250 ms apart, in the past: time lag then has a known answer.
      const base = Date.now() - 60_000;
      const counts = [7, 12, 5];
      for (const [partition, count] of counts.entries()) {
        await produce(kafka.client, topic, valuesFor(partition, count, (i) => base + partition * 10_000 + i * 250));
      }
      await waitUntil(() => tail.stats().records === 24, { timeoutMs: WAIT_MS, what: "the tail to read the 24 records" });
      // Partition 2 loses its first two records, so "no commit" must count from the start offset,
      // not 0. (After the tail read them: a tail positioned below the start offset jumps to the end.)
      await kafka.admin.run("delete records", ADMIN_TEST_TIMEOUT_MS, (a) => a.deleteTopicRecords({ topic, partitions: [{ partition: 2, offset: "2" }] }));
      // Partition 0 lags 4 records, partition 1 none, partition 2 has no commit at all.
      await kafka.admin.run("set offsets", ADMIN_TEST_TIMEOUT_MS, (a) =>
        a.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: "3" }, { partition: 1, offset: "12" }] }),
      );

      const poller = new OffsetPoller({ admin: kafka.admin, topic, groups: [groupId], tail });
      const snapshot = await poller.poll();
      expect(snapshot.error).toBeNull();
      const reference = await describeGroupWithKafkaTool(groupId);

      const group = snapshot.groups.find((g) => g.groupId === groupId)!;
      expect(group).toBeDefined();
      // The output fits the browser contract as it is (health is added by the health rules).
      expect(() => topicStatsSchema.parse(snapshot.topic)).not.toThrow();
      expect(() => consumerGroupSchema.omit({ health: true }).strict().parse(group)).not.toThrow();
      expect(group.state).toBe("Empty");
      expect(group.members).toEqual([]);
      // Every partition Kafka's tool reports, the poller reports with the same numbers.
      expect(reference.map((row) => row.partition)).toEqual([0, 1]);
      for (const row of reference) {
        const ours = group.partitions.find((p) => p.partition === row.partition)!;
        expect(ours.committedOffset).toBe(String(row.currentOffset));
        expect(ours.endOffset).toBe(String(row.logEndOffset));
        expect(ours.lag).toBe(row.lag);
      }
      expect(group.partitions.map((p) => p.lag)).toEqual([4, 0, 3]);
      expect(group.partitions[2]).toMatchObject({ committedOffset: null, endOffset: "5" });
      expect(group.totalLag).toBe(7);
      expect(snapshot.topic.partitions.map((p) => [p.startOffset, p.endOffset])).toEqual([
        ["0", "7"],
        ["0", "12"],
        ["2", "5"],
      ]);

      // Time lag: now − the timestamp of the oldest unconsumed record (offset 3 of partition 0,
      // offset 2 of partition 2), as the tail indexed it.
      const polledAt = snapshot.polledAt!;
      const expected0 = polledAt - (base + 3 * 250);
      const expected2 = polledAt - (base + 2 * 10_000 + 2 * 250);
      expect(Math.abs(group.partitions[0]!.timeLagMs! - expected0)).toBeLessThan(INDEX_RESOLUTION_MS);
      expect(group.partitions[1]!.timeLagMs).toBe(0);
      expect(Math.abs(group.partitions[2]!.timeLagMs! - expected2)).toBeLessThan(INDEX_RESOLUTION_MS);
      expect(group.maxTimeLagMs).toBe(Math.max(group.partitions[0]!.timeLagMs!, group.partitions[2]!.timeLagMs!));
      expect(group.consumeRate).toBeNull();

      // The group then catches up on partition 0: the next poll sees lag 0 and a consume rate.
      await kafka.admin.run("set offsets", ADMIN_TEST_TIMEOUT_MS, (a) => a.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: "7" }] }));
      const next = await poller.poll();
      const caughtUp = next.groups[0]!;
      expect(caughtUp.partitions[0]).toMatchObject({ committedOffset: "7", lag: 0, timeLagMs: 0 });
      expect(caughtUp.consumeRate).toBeGreaterThan(0);
    } finally {
      await tail.stop();
    }
  });

  it("derives messages per second from end-offset deltas: over a window the deltas add up to exactly what was produced", async () => {
    const topic = await createTestTopic(kafka.admin, "throughput", 3);
    topics.push(topic);
    const poller = new OffsetPoller({ admin: kafka.admin, topic, groups: [] });
    const first = await poller.poll();
    expect(first.error).toBeNull();
    expect(first.topic.messagesPerSec).toBeNull();

    const produced = 900;
    const chunks = 12;
    const snapshots: OffsetSnapshot[] = [];
    let polling = true;
    const polls = (async () => {
      while (polling) {
        snapshots.push(await poller.poll());
        // The caller's schedule: a poll every 250 ms, four times the production default.
        await pace(250);
      }
    })();
    for (let chunk = 0; chunk < chunks; chunk++) {
      const size = produced / chunks;
      await produce(
        kafka.client,
        topic,
        Array.from({ length: size }, (_, i) => ({ partition: (chunk + i) % 3, value: `chunk-${chunk}-${i}` })),
      );
      // Spread the records over about three seconds so that several readings (one a second) see them arrive.
      await pace(250);
    }
    await waitUntil(() => snapshots.at(-1)?.topic.partitions.reduce((sum, p) => sum + Number(p.endOffset), 0) === produced, {
      timeoutMs: WAIT_MS,
      intervalMs: 100,
      what: "a poll after the last record",
    });
    polling = false;
    await polls;

    let counted = 0;
    let pollsWithTraffic = 0;
    // Polls closer together than the poller reads return its last reading again: count each reading once.
    const readings = snapshots.filter((snapshot, i) => i === 0 || snapshot.polledAt !== snapshots[i - 1]!.polledAt);
    for (const snapshot of readings) {
      expect(snapshot.error).toBeNull();
      if (snapshot.intervalMs === null) continue;
      const delta = snapshot.topic.partitions.reduce((sum, p) => sum + ((p.messagesPerSec ?? 0) * snapshot.intervalMs!) / 1000, 0);
      if (delta > 0) pollsWithTraffic += 1;
      // The topic total is the sum of its partitions.
      expect(snapshot.topic.messagesPerSec).toBeCloseTo(snapshot.topic.partitions.reduce((s, p) => s + (p.messagesPerSec ?? 0), 0), 6);
      counted += delta;
    }
    expect(pollsWithTraffic).toBeGreaterThanOrEqual(2);
    expect(Math.round(counted)).toBe(produced);
  });

  it("keeps the last values, marked stale with the reason, when Kafka does not answer", async () => {
    const topic = await createTestTopic(kafka.admin, "stale", 1);
    topics.push(topic);
    await produce(kafka.client, topic, valuesFor(0, 3));
    const poller = new OffsetPoller({ admin: kafka.admin, topic, groups: [] });
    const good = await poller.poll();
    expect(good.topic.partitions[0]!.endOffset).toBe("3");

    // A deleted topic is an answer Kafka gives for real: the poll fails, the values stay.
    await deleteTestTopic(kafka.admin, topic);
    topics.splice(topics.indexOf(topic), 1);
    const stale = await waitUntil(
      async () => {
        const snapshot = await poller.poll();
        return snapshot.stale ? snapshot : null;
      },
      { timeoutMs: WAIT_MS, what: "a failed poll after the topic was deleted" },
    );
    expect(stale.error).toEqual(expect.any(String));
    expect(stale.topic.error).toBe(stale.error);
    expect(stale.polledAt).toBe(good.polledAt);
    expect(stale.topic.partitions[0]!.endOffset).toBe("3");
  });

  it("discovers the pipeline's consumer group with its members and leaves out Outbox Lens's own groups", async () => {
    const pool = new pg.Pool({ connectionString: testEnv.DATABASE_URL, max: 1 });
    // Our own group with committed offsets on the outbox topic: discovery must leave it out.
    const ownGroup = `outbox-lens-test-${randomUUID().slice(0, 8)}`;
    groups.push(ownGroup);
    const tail = new TopicTail({ client: kafka.client, admin: kafka.admin, topics: [OUTBOX_TOPIC], logger: kafka.logger });
    try {
      await tail.start();
      await kafka.admin.run("set offsets", ADMIN_TEST_TIMEOUT_MS, (a) =>
        a.setOffsets({ groupId: ownGroup, topic: OUTBOX_TOPIC, partitions: [{ partition: 0, offset: "0" }] }),
      );
      // Make sure the processor has committed on the topic at least once.
      await insertEvents(pool, testEnv.OUTBOX_TABLE!, generateOperation());
      await waitUntil(
        async () => {
          const offsets = await kafka.admin.run("fetch offsets", ADMIN_TEST_TIMEOUT_MS, (a) => a.fetchOffsets({ groupId: PROCESSOR_GROUP, topics: [OUTBOX_TOPIC] }));
          return offsets[0]?.partitions.some((p) => Number(p.offset) > 0);
        },
        { timeoutMs: WAIT_MS, what: `${PROCESSOR_GROUP} to commit on ${OUTBOX_TOPIC}` },
      );

      const poller = new OffsetPoller({ admin: kafka.admin, topic: OUTBOX_TOPIC, tail });
      const monitored = await poller.monitoredGroups();
      expect(monitored).toContain(PROCESSOR_GROUP);
      expect(monitored.filter((g) => g.startsWith("outbox-lens-"))).toEqual([]);
      // The tail's own ephemeral group exists, and is left out too.
      const listed = await kafka.admin.run("list groups", ADMIN_TEST_TIMEOUT_MS, (a) => a.listGroups());
      expect(listed.groups.map((g) => g.groupId)).toContain(tail.stats().groupId);
      expect(listed.groups.map((g) => g.groupId)).toContain(ownGroup);

      const snapshot = await poller.poll();
      const processor = snapshot.groups.find((g) => g.groupId === PROCESSOR_GROUP)!;
      expect(processor.state).toBe("Stable");
      expect(processor.members.length).toBeGreaterThan(0);
      // The Java consumer's assignment is decoded: together its members own every partition.
      expect(processor.members.flatMap((m) => m.partitions).sort()).toEqual(snapshot.topic.partitions.map((p) => p.partition));
      for (const partition of processor.partitions) {
        const member = processor.members.find((m) => m.partitions.includes(partition.partition))!;
        expect(partition.owner).toBe(`${member.clientId}/${member.host}`);
      }
      const reference = await describeGroupWithKafkaTool(PROCESSOR_GROUP);
      expect(reference.map((r) => r.partition)).toEqual(processor.partitions.map((p) => p.partition));
    } finally {
      await tail.stop();
      await pool.end();
    }
  });
});
