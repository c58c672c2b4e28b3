import { describe, expect, it } from "vitest";
import { healthReportSchema, overallStatus, type HealthReport } from "./health";

const upReport: HealthReport = {
  status: "ok",
  checkedAt: "2025-03-01T12:00:00.000Z",
  components: {
    postgres: {
      status: "up",
      latencyMs: 3,
      detail: { target: "127.0.0.1:5433/activity", serverVersion: "15.20", outboxTable: "activity.event_outbox", outboxTableFound: true },
    },
    kafka: {
      status: "up",
      latencyMs: 5,
      detail: {
        bootstrapBrokers: ["127.0.0.1:9092"],
        brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092 }],
        controller: 1,
        clusterId: "abc",
        replication: {
          topics: ["postgres.activity.event_outbox"],
          expectedBrokers: [1, 2],
          missingBrokers: [{ nodeId: 2, lastSeenAt: "127.0.0.1:9093" }],
          partitions: 3,
          underReplicated: 1,
          offline: 1,
          belowMinIsr: null,
          degradedPartitions: [{ topic: "postgres.activity.event_outbox", partition: 0, leader: null, replicas: [2], isr: [2] }],
        },
      },
    },
    connect: {
      status: "up",
      latencyMs: 4,
      detail: {
        url: "http://127.0.0.1:8083",
        connector: "outbox-connector",
        workerVersion: "4.3.1",
        connectorState: "RUNNING",
        tasks: [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:8083" }],
      },
    },
  },
};

describe("health contract", () => {
  it("accepts a full report and round-trips it through JSON", () => {
    expect(healthReportSchema.parse(JSON.parse(JSON.stringify(upReport)))).toEqual(upReport);
  });

  it("rejects a report with an unknown component status", () => {
    const bad = structuredClone(upReport) as unknown as { components: { kafka: { status: string } } };
    bad.components.kafka.status = "flaky";
    expect(healthReportSchema.safeParse(bad).success).toBe(false);
  });

  it("is degraded as soon as one component is down", () => {
    expect(overallStatus(upReport.components)).toBe("ok");
    const components = structuredClone(upReport.components);
    components.connect.status = "down";
    expect(overallStatus(components)).toBe("degraded");
  });
});
