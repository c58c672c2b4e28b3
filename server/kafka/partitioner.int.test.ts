// The producers' partitioner against Kafka Connect's Java producer: Debezium's records of real
// outbox inserts are on the partitions our partitioner picks for their keys, so a replayed event
// lands where its original did.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOperation } from "@/stack/workload/events";
import { insertEvents } from "@/stack/workload/run";
import { createJavaCompatiblePartitioner } from "./partitioner";
import { findRecord, type RawRecord } from "./topic-reader";
import { testBrokers, testEnv, testKafka, type TestKafka } from "./test-fixtures";

const OUTBOX_TOPIC = testEnv.OUTBOX_TOPIC!;
const EVENTS = 40;

let kafka: TestKafka;
beforeAll(() => {
  kafka = testKafka("partitioner-test");
});
afterAll(async () => {
  await kafka.close();
});

describe("the Java-compatible partitioner", () => {
  it("puts each key where Debezium's Java producer put it", async () => {
    const pool = new pg.Pool({ connectionString: testEnv.DATABASE_URL, max: 1 });
    const since = Date.now() - 1_000;
    const events = Array.from({ length: EVENTS }, () => generateOperation()[0]!);
    try {
      await insertEvents(pool, testEnv.OUTBOX_TABLE!, events);
    } finally {
      await pool.end();
    }
    const wanted = new Set(events.map((event) => event.eventId));
    const found: RawRecord[] = [];
    await findRecord({ brokers: testBrokers, topic: OUTBOX_TOPIC, sinceMs: since, timeoutMs: 60_000, maxRecords: 100_000, logger: kafka.logger }, (record) => {
      const id = record.key && (JSON.parse(record.key.toString()) as { event_id?: string }).event_id;
      if (id && wanted.delete(id)) found.push(record);
      return wanted.size === 0;
    });

    const metadata = await kafka.admin.run("reading the outbox topic's partitions", 5_000, (admin) => admin.fetchTopicMetadata({ topics: [OUTBOX_TOPIC] }));
    const partitionMetadata = metadata.topics[0]!.partitions;
    expect(partitionMetadata.length).toBeGreaterThan(1);
    const partitioner = createJavaCompatiblePartitioner();
    const spread = new Set<number>();
    for (const record of found) {
      spread.add(record.partition);
      expect(partitioner({ topic: OUTBOX_TOPIC, partitionMetadata, message: { key: record.key, value: null } })).toBe(record.partition);
    }
    expect(found).toHaveLength(EVENTS);
    // Keys spread over several partitions, so a wrong hash could not pass by landing on one.
    expect(spread.size).toBeGreaterThan(1);
  });
});
