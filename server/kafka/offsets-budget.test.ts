import type { Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import type { KafkaAdminConnection } from "./admin";
import { MAX_OFFSET_READS_PER_SECOND, OFFSET_POLL_INTERVAL_MS, OffsetPoller, type OffsetReads } from "./offsets";

/** An admin that answers from memory and counts its offset reads: the poller's spacing is about how often it asks. */
function fakeAdmin(partitions: number, end: () => number) {
  const calls = { endOffsets: 0, committed: 0 };
  const admin = {
    describeGroups: async (groupIds: string[]) => ({ groups: groupIds.map((groupId) => ({ groupId, state: "Empty", protocolType: "consumer", members: [] })) }),
  } as unknown as Admin;
  const reads: OffsetReads = {
    partitions: async () => Int32Array.from({ length: partitions }, (_, partition) => partition),
    committed: async () => {
      calls.committed += 1;
      return new Float64Array(partitions).fill(5);
    },
    topicOffsets: async () => {
      calls.endOffsets += 1;
      return Array.from({ length: partitions }, (_, partition) => ({ partition, start: 0, end: end() }));
    },
  };
  const connection = { run: (_what: string, _timeout: number, operation: (a: Admin) => Promise<unknown>) => operation(admin) } as unknown as KafkaAdminConnection;
  return { connection, reads, calls };
}

describe("OffsetPoller read budget", () => {
  it("reads every second while partitions × groups fit the budget", async () => {
    let now = 0;
    const { connection, reads, calls } = fakeAdmin(3, () => 10 + now / 100);
    const poller = new OffsetPoller({ admin: connection, reads, topic: "t", groups: ["a", "b"], now: () => now });
    for (let i = 0; i < 5; i++, now += OFFSET_POLL_INTERVAL_MS) {
      const snapshot = await poller.poll();
      expect(snapshot.topic.offsetsReadEveryMs).toBe(OFFSET_POLL_INTERVAL_MS);
    }
    expect(calls.endOffsets).toBe(5);
  });

  it("spaces reads out when a poll would read more offsets than the budget, says so, and keeps rates exact", async () => {
    let now = 0;
    let end = 1_000;
    const partitions = 1_000;
    const groups = Array.from({ length: 32 }, (_, i) => `g${i}`);
    const { connection, reads, calls } = fakeAdmin(partitions, () => end);
    const poller = new OffsetPoller({ admin: connection, reads, topic: "t", groups, now: () => now });
    const spacing = Math.ceil(((partitions * (groups.length + 2)) / MAX_OFFSET_READS_PER_SECOND) * 1000);
    expect(spacing).toBeGreaterThan(OFFSET_POLL_INTERVAL_MS);

    const first = await poller.poll();
    expect(first.topic.offsetsReadEveryMs).toBe(spacing);
    const readsAt: number[] = [0];
    for (let tick = 1; tick <= 12; tick++) {
      now = tick * OFFSET_POLL_INTERVAL_MS;
      end += 100; // 100 records a second on every partition
      const before = calls.endOffsets;
      const snapshot = await poller.poll();
      if (calls.endOffsets > before) {
        readsAt.push(now);
        // The rate spans the real interval between reads: still 100/s per partition.
        expect(snapshot.topic.partitions[0]!.messagesPerSec).toBeCloseTo(100, 6);
      } else {
        expect(snapshot).toBe(poller.latest);
      }
    }
    // Never closer than the spacing allows, and never a tick later than needed.
    for (let i = 1; i < readsAt.length; i++) {
      const gap = readsAt[i]! - readsAt[i - 1]!;
      expect(gap).toBeGreaterThanOrEqual(spacing - 100);
      expect(gap).toBeLessThanOrEqual(spacing + OFFSET_POLL_INTERVAL_MS);
    }
    // Each group's offsets once per read.
    expect(calls.committed).toBe(readsAt.length * groups.length);
  });
});
