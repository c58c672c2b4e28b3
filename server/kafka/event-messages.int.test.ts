// The trace's search of one event's records against the real broker: a partition holding the
// event's records among others', with timestamps set by the producer, is searched in time windows
// only, and every record of the event inside a window is found once.
import type { Message } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@/server/log";
import { searchEventMessages } from "./event-messages";
import { PartitionFetcher } from "./partition-fetcher";
import { createTestTopic, deleteTestTopic, produce, testKafka, type TestKafka } from "./test-fixtures";

const KEY = JSON.stringify({ event_id: "5f0c1c1e-8e1a-4a47-9a53-1d1f4a0b7c11" });
const MINUTE = 60_000;
// Other events' records between the event's own: what a search must read past.
const FILLERS_BETWEEN = 200;

let kafka: TestKafka;
let fetcher: PartitionFetcher;
let topic: string;
// The event's records: its insert, a write-back outside every window, a late replay, a later one.
const base = Date.now() - 90 * MINUTE;
const eventTimes = [base, base + 10 * MINUTE, base + 40 * MINUTE, base + 70 * MINUTE];

beforeAll(async () => {
  kafka = testKafka("event-messages-test");
  fetcher = new PartitionFetcher(kafka.client, silentLogger);
  topic = await createTestTopic(kafka.admin, "event-search", 1);
  const messages: Message[] = [];
  for (const [index, time] of eventTimes.entries()) {
    messages.push({ key: KEY, value: `event-${index}`, timestamp: String(time) });
    for (let i = 1; i <= FILLERS_BETWEEN; i++) messages.push({ key: JSON.stringify({ event_id: `other-${index}-${i}` }), value: "other", timestamp: String(time + i * 1_000) });
  }
  await produce(kafka.client, topic, messages);
});
afterAll(async () => {
  await deleteTestTopic(kafka.admin, topic);
  await fetcher.disconnect();
  await kafka.close();
});

function search(windows: { sinceMs: number; untilMs: number }[], maxRecords?: number) {
  return searchEventMessages({ admin: kafka.admin, fetcher, topic, partition: 0, windows, key: KEY, maxRecords });
}

describe("searching one event's records", () => {
  it("finds the records inside its windows, reads only those windows and skips the record between them", async () => {
    const result = await search([
      { sinceMs: base - 5_000, untilMs: base + 60_000 },
      { sinceMs: base + 40 * MINUTE - 5_000, untilMs: base + 40 * MINUTE + 5_000 },
    ]);
    expect(result.records.map((record) => record.value?.toString())).toEqual(["event-0", "event-2"]);
    expect(result.records.map((record) => record.timestamp)).toEqual([eventTimes[0], eventTimes[2]]);
    expect(result.records.map((record) => record.offset)).toEqual([String(0), String(2 * (FILLERS_BETWEEN + 1))]);
    // The event's record and 60 fillers in the first window, the replay and 5 fillers in the second.
    expect(result.scanned).toBe(1 + 60 + 1 + 5);
    expect(result.note).toBeNull();
  });

  it("reads overlapping windows once", async () => {
    const result = await search([
      { sinceMs: base + 70 * MINUTE - 5_000, untilMs: base + 70 * MINUTE + 10_000 },
      { sinceMs: base - 5_000, untilMs: base + 10 * MINUTE + 3_000 },
      { sinceMs: base + 10 * MINUTE, untilMs: base + 10 * MINUTE + 1_000 },
      { sinceMs: base + 70 * MINUTE, untilMs: base + 70 * MINUTE + 5_000 },
    ]);
    expect(result.records.map((record) => record.value?.toString())).toEqual(["event-0", "event-1", "event-3"]);
    expect(result.scanned).toBe(FILLERS_BETWEEN + 1 + 1 + 3 + 1 + 10);
    expect(result.note).toBeNull();
  });

  it("stops at its record limit over all windows and says so", async () => {
    const result = await search(
      [
        { sinceMs: base - 5_000, untilMs: base + 30_000 },
        { sinceMs: base + 40 * MINUTE - 5_000, untilMs: base + 70 * MINUTE },
      ],
      100,
    );
    expect(result.scanned).toBe(100);
    expect(result.records.map((record) => record.value?.toString())).toEqual(["event-0", "event-2"]);
    expect(result.note).toBe("stopped after 100 records (the limit of one search)");
  });

  it("finds nothing in a window past the partition's last record", async () => {
    const result = await search([{ sinceMs: Date.now() + MINUTE, untilMs: Date.now() + 2 * MINUTE }]);
    expect(result).toEqual({ records: [], scanned: 0, note: null });
  });
});
