import { overallStatus, type ConnectHealth, type HealthReport, type KafkaHealth, type PostgresHealth } from "@/lib/contracts/health";
import { replicationProblems } from "@/lib/format/replication";

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

/** What is wrong with the Kafka cluster that answers (a missing broker, partitions out of sync); null when nothing is. */
export function kafkaReplicationProblems(report: HealthReport): string | null {
  const replication = report.components.kafka.detail.replication;
  return replication ? replicationProblems(replication) : null;
}

/**
 * A short text of what is down and why, for logs: "kafka down (connect ECONNREFUSED …)", and of a
 * cluster that answers with a broker missing: "all components up; kafka: broker 2 missing; …".
 */
export function summarizeHealth(report: HealthReport): string {
  const kafka = kafkaReplicationProblems(report);
  const kafkaNote = kafka ? `; kafka: ${kafka}` : "";
  if (report.status === "ok") return `all components up${kafkaNote}`;
  const down = Object.entries(report.components)
    .filter(([, component]) => component.status === "down")
    .map(([name, component]) => `${name} down (${component.error ?? "no reason given"})`)
    .join("; ");
  return `${down}${kafkaNote}`;
}

/**
 * Whether two reports differ in anything but timings: a status, an error, a connector or task
 * state, the broker list, the replication problems. Used to log transitions once instead of every poll.
 */
export function healthChanged(previous: HealthReport | null, next: HealthReport): boolean {
  if (!previous) return true;
  return stateSignature(previous) !== stateSignature(next);
}

function stateSignature(report: HealthReport): string {
  const { postgres, kafka, connect } = report.components;
  return JSON.stringify([
    [postgres.status, postgres.error, postgres.detail.serverVersion, postgres.detail.outboxTableFound],
    // Not the controller: in KRaft mode a broker answers metadata with a random live broker as the
    // "controller", so on a cluster it changes from one check to the next.
    [kafka.status, kafka.error, kafka.detail.brokers, kafka.detail.clusterId, kafkaReplicationProblems(report)],
    [connect.status, connect.error, connect.detail.connectorState, connect.detail.tasks.map((task) => [task.id, task.state])],
  ]);
}
