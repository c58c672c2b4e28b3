import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import type { KafkaAdminConnection } from "./admin";
import { coordinatorMoving, OffsetPoller, type OffsetReads } from "./offsets";

/** Kafka's answer of a broker that is no longer (or not yet) the group's coordinator. */
function notCoordinator(): KafkaJSProtocolError {
  // KafkaJS builds it from its table of Kafka's error codes; its typings declare only the message.
  const code = Object.assign(new Error("This is not the correct coordinator for this group"), { type: "NOT_COORDINATOR_FOR_GROUP", code: 16, retriable: true });
  return new KafkaJSProtocolError(code);
}

/** An admin whose group reads of one kind (descriptions or committed offsets) fail with `failure` for the first `failures` calls, then answer. */
function movingCoordinatorAdmin(failing: "describe" | "committed", failures: number, failure: () => Error) {
  const calls = { describe: 0, committed: 0 };
  const admin = {
    describeGroups: async (groupIds: string[]) => {
      if (calls.describe++ < failures && failing === "describe") throw failure();
      return { groups: groupIds.map((groupId) => ({ groupId, state: "Stable", protocolType: "consumer", members: [] })) };
    },
  } as unknown as Admin;
  const reads: OffsetReads = {
    partitions: async () => Int32Array.of(0),
    committed: async () => {
      if (calls.committed++ < failures && failing === "committed") throw failure();
      return Float64Array.of(5);
    },
    topicOffsets: async () => [{ partition: 0, start: 0, end: 10 }],
  };
  const connection = { run: (_what: string, _timeout: number, operation: (a: Admin) => Promise<unknown>) => operation(admin) } as unknown as KafkaAdminConnection;
  return { connection, reads, calls };
}

describe("coordinatorMoving", () => {
  it("recognises a coordinator that moved, also wrapped in KafkaJS's retries, and nothing else", () => {
    expect(coordinatorMoving(notCoordinator())).toBe(true);
    expect(coordinatorMoving(new KafkaJSNumberOfRetriesExceeded(notCoordinator(), { retryCount: 1, retryTime: 100 }))).toBe(true);
    expect(coordinatorMoving(new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9094"))).toBe(false);
    expect(coordinatorMoving(new Error("x"))).toBe(false);
  });
});

describe("OffsetPoller across a coordinator move", () => {
  for (const failing of ["describe", "committed"] as const) {
    it(`reads the groups once more when the ${failing === "describe" ? "description" : "committed offsets"} met a moving coordinator, and reports them whole`, async () => {
      const { connection, reads, calls } = movingCoordinatorAdmin(failing, 1, notCoordinator);
      const snapshot = await new OffsetPoller({ admin: connection, reads, topic: "t", groups: ["g"] }).poll();
      expect(snapshot).toMatchObject({ stale: false, error: null });
      expect(snapshot.groups[0]).toMatchObject({ groupId: "g", state: "Stable", totalLag: 5 });
      expect(calls[failing]).toBe(2);
    });
  }

  it("still fails the poll when the coordinator does not settle, or for any other error", async () => {
    const stuck = movingCoordinatorAdmin("committed", 5, notCoordinator);
    expect((await new OffsetPoller({ admin: stuck.connection, reads: stuck.reads, topic: "t", groups: ["g"] }).poll()).error).toMatch(/not the correct coordinator/);
    expect(stuck.calls.committed).toBe(2);
    const refused = movingCoordinatorAdmin("committed", 1, () => new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9094"));
    expect((await new OffsetPoller({ admin: refused.connection, reads: refused.reads, topic: "t", groups: ["g"] }).poll()).error).toMatch(/ECONNREFUSED/);
    expect(refused.calls.committed).toBe(1);
  });
});
