import type { ConnectHealth, HealthReport, KafkaHealth, PostgresHealth } from "@/lib/contracts/health";
import { overallStatus } from "@/lib/contracts/health";

/** Component reports for the pure unit tests of the health logic (no service involved); imported by tests only. */
export function postgresUp(latencyMs = 3): PostgresHealth {
  return {
    status: "up",
    latencyMs,
    detail: { target: "127.0.0.1:5433/activity", serverVersion: "15.20", outboxTable: "activity.event_outbox", outboxTableFound: true },
  };
}

export function kafkaUp(latencyMs = 4): KafkaHealth {
  return {
    status: "up",
    latencyMs,
    detail: {
      bootstrapBrokers: ["127.0.0.1:9092"],
      brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092 }],
      controller: 1,
      clusterId: "cluster",
      replication: {
        topics: ["postgres.activity.event_outbox"],
        expectedBrokers: [1],
        missingBrokers: [],
        partitions: 3,
        underReplicated: 0,
        offline: 0,
        belowMinIsr: 0,
        degradedPartitions: [],
      },
    },
  };
}

/** A three-broker cluster that answers with broker 2 gone: every partition of the topic under-replicated. */
export function kafkaBrokerMissing(): KafkaHealth {
  const health = kafkaUp();
  health.detail.bootstrapBrokers = ["127.0.0.1:9092", "127.0.0.1:9093", "127.0.0.1:9094"];
  health.detail.brokers = [
    { nodeId: 1, host: "127.0.0.1", port: 9092 },
    { nodeId: 3, host: "127.0.0.1", port: 9094 },
  ];
  health.detail.replication = {
    topics: ["postgres.activity.event_outbox"],
    expectedBrokers: [1, 2, 3],
    missingBrokers: [{ nodeId: 2, lastSeenAt: "127.0.0.1:9093" }],
    partitions: 3,
    underReplicated: 3,
    offline: 0,
    belowMinIsr: 0,
    degradedPartitions: [0, 1, 2].map((partition) => ({ topic: "postgres.activity.event_outbox", partition, leader: partition === 1 ? 3 : 1, replicas: [1, 2, 3], isr: [1, 3] })),
  };
  return health;
}

export function kafkaDown(error = "Connection error: connect ECONNREFUSED 127.0.0.1:9092"): KafkaHealth {
  return { status: "down", latencyMs: 12, error, detail: { bootstrapBrokers: ["127.0.0.1:9092"], brokers: [], controller: null, clusterId: null, replication: null } };
}

export function connectUp(latencyMs = 5): ConnectHealth {
  return {
    status: "up",
    latencyMs,
    detail: {
      url: "http://127.0.0.1:8083",
      connector: "outbox-connector",
      workerVersion: "4.3.1",
      connectorState: "RUNNING",
      tasks: [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }],
    },
  };
}

export function report(components: HealthReport["components"], checkedAt = "2025-03-01T12:00:00.000Z"): HealthReport {
  return { status: overallStatus(components), checkedAt, components };
}
