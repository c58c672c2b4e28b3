import { describe, expect, it } from "vitest";
import { kafkaReplicationSchema } from "@/lib/contracts/health";
import type { ClusterMetadata, PartitionMetadata } from "./cluster-metadata";
import { BrokerMemory, MAX_DEGRADED_PARTITIONS_LISTED, replicationState } from "./replication";

const TOPIC = "postgres.activity.event_outbox";
const broker = (nodeId: number) => ({ nodeId, host: "127.0.0.1", port: 9091 + nodeId });
const partition = (id: number, leader: number, isr: number[], replicas = [1, 2, 3]): PartitionMetadata => ({ partition: id, errorCode: leader === -1 ? 5 : 0, leader, replicas, isr });

function metadata(live: number[], partitions: PartitionMetadata[], topic = TOPIC): ClusterMetadata {
  return { brokers: live.map(broker), controller: live[0] ?? null, clusterId: "cluster", topics: [{ topic, errorCode: 0, partitions }] };
}

function remembering(...live: number[]): BrokerMemory {
  const memory = new BrokerMemory();
  memory.remember(live.map(broker));
  return memory;
}

describe("replicationState", () => {
  it("finds nothing wrong in a healthy three-broker cluster", () => {
    const state = replicationState(metadata([1, 2, 3], [partition(0, 1, [1, 2, 3]), partition(1, 2, [2, 3, 1]), partition(2, 3, [3, 1, 2])]), [TOPIC], remembering(1, 2, 3), new Map([[TOPIC, 2]]));
    expect(state).toEqual({
      topics: [TOPIC],
      expectedBrokers: [1, 2, 3],
      missingBrokers: [],
      partitions: 3,
      underReplicated: 0,
      offline: 0,
      belowMinIsr: 0,
      degradedPartitions: [],
    });
    expect(kafkaReplicationSchema.safeParse(state).success).toBe(true);
  });

  it("reports a broker that died as missing, with its last address, and its partitions as under-replicated", () => {
    const memory = remembering(1, 2, 3);
    const state = replicationState(metadata([1, 3], [partition(0, 1, [1, 3]), partition(1, 3, [3, 1]), partition(2, 3, [3, 1])]), [TOPIC], memory, new Map([[TOPIC, 2]]));
    expect(state).toMatchObject({ missingBrokers: [{ nodeId: 2, lastSeenAt: "127.0.0.1:9093" }], underReplicated: 3, offline: 0, belowMinIsr: 0 });
    expect(state.degradedPartitions[0]).toEqual({ topic: TOPIC, partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 3] });
  });

  it("expects a broker that holds replicas even when this process never saw it", () => {
    const state = replicationState(metadata([1, 3], [partition(0, 1, [1, 3])]), [TOPIC], remembering(1, 3), null);
    expect(state.missingBrokers).toEqual([{ nodeId: 2, lastSeenAt: null }]);
  });

  it("reports a broker seen earlier that holds no replica of the watched topics", () => {
    const memory = remembering(1, 2, 3, 4);
    const state = replicationState(metadata([1, 2, 3], [partition(0, 1, [1, 2, 3])]), [TOPIC], memory, null);
    expect(state.missingBrokers).toEqual([{ nodeId: 4, lastSeenAt: "127.0.0.1:9095" }]);
    expect(state.expectedBrokers).toEqual([1, 2, 3, 4]);
  });

  it("counts a partition without a leader as offline and lists it first; below min.insync.replicas only where a leader is", () => {
    const state = replicationState(
      metadata([1], [partition(0, 1, [1]), partition(1, -1, [2]), partition(2, 1, [1, 2, 3])]),
      [TOPIC],
      remembering(1, 2, 3),
      new Map([[TOPIC, 2]]),
    );
    expect(state).toMatchObject({ offline: 1, underReplicated: 2, belowMinIsr: 1 });
    expect(state.degradedPartitions.map((p) => [p.partition, p.leader])).toEqual([
      [1, null],
      [0, 1],
    ]);
  });

  it("leaves below-min.insync.replicas unknown until every watched topic's setting is known", () => {
    const state = replicationState(metadata([1, 2], [partition(0, 1, [1])]), [TOPIC], remembering(1, 2), new Map([["other", 2]]));
    expect(state.belowMinIsr).toBeNull();
  });

  it("leaves out a watched topic the cluster does not have, and topics it does not watch", () => {
    const answer: ClusterMetadata = {
      ...metadata([1], [partition(0, 1, [1], [1])]),
      topics: [
        { topic: TOPIC, errorCode: 0, partitions: [partition(0, 1, [1], [1])] },
        { topic: "replays", errorCode: 3, partitions: [] },
        { topic: "unwatched", errorCode: 0, partitions: [partition(0, -1, [])] },
      ],
    };
    const state = replicationState(answer, [TOPIC, "replays"], remembering(1), null);
    expect(state).toMatchObject({ topics: [TOPIC], partitions: 1, offline: 0, underReplicated: 0 });
  });

  it("lists a bounded number of degraded partitions and counts them all", () => {
    const many = Array.from({ length: MAX_DEGRADED_PARTITIONS_LISTED + 5 }, (_, i) => partition(i, 1, [1, 3]));
    const state = replicationState(metadata([1, 3], many), [TOPIC], remembering(1, 2, 3), null);
    expect(state.underReplicated).toBe(MAX_DEGRADED_PARTITIONS_LISTED + 5);
    expect(state.degradedPartitions).toHaveLength(MAX_DEGRADED_PARTITIONS_LISTED);
  });
});

describe("BrokerMemory", () => {
  it("keeps at most its bound, forgetting the broker seen least recently", () => {
    const memory = new BrokerMemory(3);
    memory.remember([broker(1), broker(2), broker(3)]);
    memory.remember([broker(1)]);
    memory.remember([broker(4)]);
    expect(memory.ids().sort()).toEqual([1, 3, 4]);
    expect(memory.addressOf(2)).toBeNull();
  });

  it("keeps a broker's latest address", () => {
    const memory = new BrokerMemory();
    memory.remember([broker(1)]);
    memory.remember([{ nodeId: 1, host: "10.0.0.7", port: 9092 }]);
    expect(memory.addressOf(1)).toBe("10.0.0.7:9092");
  });
});
