import { describe, expect, it } from "vitest";
import type { KafkaClusterStats, MetricsSnapshot } from "@/lib/contracts/metrics";
import { sample } from "@/bench/lib/prometheus-text";
import { PrometheusExporter } from "./prometheus";

const TOPIC = "postgres.activity.event_outbox";

/** The smallest snapshot the exporter takes: a pipeline with nothing in it. */
function snapshot(cluster: KafkaClusterStats | null): MetricsSnapshot {
  const unknown = { status: "UNKNOWN" as const, rule: "no observation yet", since: 0 };
  return {
    at: 1_700_000_000_000,
    stages: { outbox: unknown, capture: unknown, topic: unknown, consumers: unknown },
    outbox: { table: "activity.event_outbox", counts: [], oldestPendingAgeMs: null, retryDistribution: [], insertRate: null, processedRate: null, failedRate: null, slot: null, error: null, polledAt: 0 },
    connect: { connector: "outbox-connector", state: null, tasks: [], error: null, polledAt: 0 },
    topic: { topic: TOPIC, partitions: [], messagesPerSec: null, bytesPerSec: null, byOp: {}, byEventType: {}, offsetsReadEveryMs: 1_000, error: null },
    cluster,
    groups: [],
    latency: { hops: {} as MetricsSnapshot["latency"]["hops"], byEventType: {} },
    tail: { messagesPerSec: 0, behindRecords: 0, undecodable: 0, decodeEvery: 1 },
  };
}

const brokerTwoMissing: KafkaClusterStats = {
  checkedAt: 1_700_000_000_000,
  brokers: [
    { nodeId: 1, host: "127.0.0.1", port: 9092 },
    { nodeId: 3, host: "127.0.0.1", port: 9094 },
  ],
  replication: {
    topics: [TOPIC],
    expectedBrokers: [1, 2, 3],
    missingBrokers: [{ nodeId: 2, lastSeenAt: "127.0.0.1:9093" }],
    partitions: 3,
    underReplicated: 3,
    offline: 0,
    belowMinIsr: null,
    degradedPartitions: [],
  },
};

describe("PrometheusExporter", () => {
  it("exports the live and missing brokers and the under-replicated and offline partitions", async () => {
    const exporter = new PrometheusExporter();
    exporter.update(snapshot(brokerTwoMissing));
    const text = await exporter.metrics();
    expect(sample(text, "outbox_lens_kafka_brokers_live")).toBe(2);
    expect(sample(text, "outbox_lens_kafka_brokers_missing")).toBe(1);
    expect(sample(text, "outbox_lens_kafka_partitions_under_replicated")).toBe(3);
    expect(sample(text, "outbox_lens_kafka_partitions_offline")).toBe(0);
    // Unknown min.insync.replicas: no series rather than a wrong 0.
    expect(sample(text, "outbox_lens_kafka_partitions_below_min_isr")).toBeNull();
  });

  it("leaves the cluster's series out while its metadata is unknown", async () => {
    const exporter = new PrometheusExporter();
    exporter.update(snapshot(brokerTwoMissing));
    exporter.update(snapshot(null));
    const text = await exporter.metrics();
    expect(sample(text, "outbox_lens_kafka_brokers_live")).toBeNull();
    expect(sample(text, "outbox_lens_kafka_partitions_under_replicated")).toBeNull();
  });
});
