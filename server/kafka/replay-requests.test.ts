import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createJavaCompatiblePartitioner } from "./partitioner";
import { planReplayRequests, RECORD_BATCH_OVERHEAD_BYTES, RecordTooLargeError, type ReplayRecord } from "./replay-requests";

const requireHere = createRequire(import.meta.url);
// KafkaJS's own v2 record encoder: the exact bytes a record takes in its batch.
const Record = requireHere("kafkajs/src/protocol/recordBatch/record/v0") as (record: Record<string, unknown>) => { buffer: Buffer };

const headers = { "x-replay-id": "42", "x-replayed-by": "user:ops", "x-replay-reason": "the consumer was down — replayed" };

function records(count: number, valueBytes: (i: number) => number): ReplayRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `{"event_id":"${i.toString(16).padStart(8, "0")}-aaaa-bbbb-cccc-${"d".repeat(12)}"}`,
    value: `{"n":${i},"t":"${"é".repeat(valueBytes(i))}"}`,
    headers,
  }));
}

/** Each request's record batches, per partition, in exact bytes as KafkaJS would encode them. */
function exactBatchBytes(batch: readonly ReplayRecord[], partitions: readonly number[], from: number, to: number): Map<number, number> {
  const bytes = new Map<number, number>();
  const deltas = new Map<number, number>();
  for (let i = from; i < to; i++) {
    const partition = partitions[i]!;
    const offsetDelta = deltas.get(partition) ?? 0;
    deltas.set(partition, offsetDelta + 1);
    const { key, value } = batch[i]!;
    const size = Record({ offsetDelta, timestampDelta: 0, key, value, headers: batch[i]!.headers }).buffer.length;
    bytes.set(partition, (bytes.get(partition) ?? RECORD_BATCH_OVERHEAD_BYTES) + size);
  }
  return bytes;
}

const metadata = (count: number) => Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));

describe("cutting a replay batch into produce requests", () => {
  it("gives keyed records the partition Kafka's partitioner gives them", () => {
    const batch = records(500, () => 10);
    const partitions: number[] = [];
    planReplayRequests(batch, 7, 1024 * 1024, () => 0, partitions);
    const kafkas = createJavaCompatiblePartitioner();
    expect(partitions).toEqual(batch.map((record) => kafkas({ topic: "t", partitionMetadata: metadata(7), message: { key: record.key as string, value: null } })));
    expect(new Set(partitions).size).toBe(7);
  });

  it("keeps every partition's record batch within max.message.bytes, in order, and fills it to more than 90%", () => {
    for (const [partitionCount, limit] of [
      [1, 64 * 1024],
      [3, 100_000],
      [6, 1_048_588],
    ] as const) {
      const batch = records(2_000, (i) => 200 + ((i * 37) % 900));
      const partitions: number[] = [];
      const requests = planReplayRequests(batch, partitionCount, limit, () => 0, partitions);
      expect(requests[0]!.from).toBe(0);
      expect(requests.at(-1)!.to).toBe(batch.length);
      for (let r = 0; r < requests.length; r++) {
        const { from, to } = requests[r]!;
        expect(to).toBeGreaterThan(from);
        if (r > 0) expect(from).toBe(requests[r - 1]!.to);
        const bytes = exactBatchBytes(batch, partitions, from, to);
        for (const size of bytes.values()) expect(size).toBeLessThanOrEqual(limit);
        // Cut only where the next record would not have fitted: the fullest batch is nearly full.
        if (r < requests.length - 1) expect(Math.max(...bytes.values())).toBeGreaterThan(limit * 0.9);
      }
      // ~2.7 MB of records: one request for 6 partitions of 1 MiB, several for the small limits.
      if (limit < 1_000_000) expect(requests.length).toBeGreaterThan(3);
      else expect(requests).toHaveLength(1);
    }
  });

  it("also cuts where the whole request would pass its own bound", () => {
    const batch = records(300, () => 1_000);
    const requests = planReplayRequests(batch, 4, 1024 * 1024, () => 0, [], 100_000);
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const { from, to } of requests) expect(to - from).toBeLessThan(100);
  });

  it("spreads records without a key as it is told, and measures Buffers and multi-byte text in bytes", () => {
    let next = 0;
    const partitions: number[] = [];
    const batch: ReplayRecord[] = Array.from({ length: 6 }, (_, i) => ({ key: null, value: i % 2 ? Buffer.alloc(400) : "€".repeat(134), headers: {} }));
    // 6 records of ~400 bytes, alternately to 2 partitions: 3 per partition fit in 1,300 bytes only once.
    const requests = planReplayRequests(batch, 2, 1_300, () => next++ % 2, partitions);
    expect(partitions).toEqual([0, 1, 0, 1, 0, 1]);
    expect(requests).toEqual([
      { from: 0, to: 4 },
      { from: 4, to: 6 },
    ]);
  });

  it("refuses a record that no batch can carry, naming it, before any request", () => {
    const batch = records(10, (i) => (i === 7 ? 70_000 : 10));
    const error = (() => {
      try {
        planReplayRequests(batch, 3, 64 * 1024, () => 0, []);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect(error).toMatchObject({ index: 7, limit: 64 * 1024 });
    expect((error as RecordTooLargeError).bytes).toBeGreaterThan(140_000);
  });
});
