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
    detail: { bootstrapBrokers: ["127.0.0.1:9092"], brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092 }], controller: 1, clusterId: "cluster" },
  };
}

export function kafkaDown(error = "Connection error: connect ECONNREFUSED 127.0.0.1:9092"): KafkaHealth {
  return { status: "down", latencyMs: 12, error, detail: { bootstrapBrokers: ["127.0.0.1:9092"], brokers: [], controller: null, clusterId: null } };
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
