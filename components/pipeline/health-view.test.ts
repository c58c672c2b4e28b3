import { describe, expect, it } from "vitest";
import type { HealthReport } from "@/lib/contracts/health";
import { connectorStateTone, describeComponent, displayStatus } from "./health-view";

const report: HealthReport = {
  status: "degraded",
  checkedAt: "2025-03-01T12:00:00.000Z",
  components: {
    postgres: { status: "up", latencyMs: 3, detail: { target: "db:5432/activity", serverVersion: "15", outboxTable: "activity.event_outbox", outboxTableFound: true } },
    kafka: {
      status: "down",
      latencyMs: 2001,
      error: "Kafka (describeCluster) did not answer within 2000 ms",
      detail: { bootstrapBrokers: ["kafka:9092"], brokers: [], controller: null, clusterId: null, replication: null },
    },
    connect: { status: "up", latencyMs: 7, detail: { url: "http://connect:8083", connector: "outbox-connector", workerVersion: "4.3.1", connectorState: "RUNNING", tasks: [] } },
  },
};

describe("displayStatus", () => {
  it("shows the reported status while the report is current", () => {
    expect(displayStatus(report, "postgres", false)).toBe("up");
    expect(displayStatus(report, "kafka", false)).toBe("down");
  });

  it("is unknown without a report, or when the report cannot be refreshed", () => {
    expect(displayStatus(undefined, "postgres", false)).toBe("unknown");
    expect(displayStatus(report, "postgres", true)).toBe("unknown");
  });
});

describe("describeComponent", () => {
  it("gives status, latency and the reason when down", () => {
    expect(describeComponent("PostgreSQL", report, "postgres", "up")).toBe("PostgreSQL: up · 3 ms");
    expect(describeComponent("Kafka", report, "kafka", "down")).toBe("Kafka: down · 2 s · Kafka (describeCluster) did not answer within 2000 ms");
    expect(describeComponent("Kafka", report, "kafka", "unknown")).toBe("Kafka: unknown (no current health report)");
  });
});

describe("connectorStateTone", () => {
  it("colours RUNNING, FAILED and transitional states apart", () => {
    expect(connectorStateTone("RUNNING")).toBe("text-up");
    expect(connectorStateTone("FAILED")).toBe("text-down");
    expect(connectorStateTone("RESTARTING")).toBe("text-pending");
    expect(connectorStateTone(null)).toBe("text-ink-faint");
  });
});
