import type { KafkaHealth } from "@/lib/contracts/health";
import { describeKafkaCluster, type KafkaAdminConnection } from "./admin";
import { describeKafkaError } from "./errors";

/**
 * Kafka is "up" when the cluster answers a metadata request within the deadline and advertises at
 * least one broker. Never throws: a failure is a "down" report with the reason.
 */
export async function checkKafka(connection: KafkaAdminConnection, timeoutMs: number): Promise<KafkaHealth> {
  const started = performance.now();
  const bootstrapBrokers = [...connection.brokers];
  try {
    const cluster = await describeKafkaCluster(connection, timeoutMs);
    const latencyMs = Math.round(performance.now() - started);
    if (cluster.brokers.length === 0) {
      return { status: "down", latencyMs, error: "the cluster answered but advertises no brokers", detail: { bootstrapBrokers, ...cluster } };
    }
    return { status: "up", latencyMs, detail: { bootstrapBrokers, ...cluster } };
  } catch (error) {
    return {
      status: "down",
      latencyMs: Math.round(performance.now() - started),
      error: describeKafkaError(error),
      detail: { bootstrapBrokers, brokers: [], controller: null, clusterId: null },
    };
  }
}
