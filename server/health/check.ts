import { overallStatus, type ConnectHealth, type HealthReport, type KafkaHealth, type PostgresHealth } from "@/lib/contracts/health";

/** One check per pipeline component. Each must settle within its own deadline and never throw. */
export interface HealthProbes {
  postgres(): Promise<PostgresHealth>;
  kafka(): Promise<KafkaHealth>;
  connect(): Promise<ConnectHealth>;
}

/** Runs the three checks in parallel; the report's time is when they started. */
export async function checkAll(probes: HealthProbes, now: () => Date = () => new Date()): Promise<HealthReport> {
  const checkedAt = now().toISOString();
  const [postgres, kafka, connect] = await Promise.all([probes.postgres(), probes.kafka(), probes.connect()]);
  const components = { postgres, kafka, connect };
  return { status: overallStatus(components), checkedAt, components };
}

/** A short text of what is down and why, for logs: "kafka down (connect ECONNREFUSED …)". */
export function summarizeHealth(report: HealthReport): string {
  if (report.status === "ok") return "all components up";
  return Object.entries(report.components)
    .filter(([, component]) => component.status === "down")
    .map(([name, component]) => `${name} down (${component.error ?? "no reason given"})`)
    .join("; ");
}

/**
 * Whether two reports differ in anything but timings: a status, an error, a connector or task
 * state, the broker list. Used to log transitions once instead of every poll.
 */
export function healthChanged(previous: HealthReport | null, next: HealthReport): boolean {
  if (!previous) return true;
  return stateSignature(previous) !== stateSignature(next);
}

function stateSignature(report: HealthReport): string {
  const { postgres, kafka, connect } = report.components;
  return JSON.stringify([
    [postgres.status, postgres.error, postgres.detail.serverVersion, postgres.detail.outboxTableFound],
    [kafka.status, kafka.error, kafka.detail.brokers, kafka.detail.controller, kafka.detail.clusterId],
    [connect.status, connect.error, connect.detail.connectorState, connect.detail.tasks.map((task) => [task.id, task.state])],
  ]);
}
