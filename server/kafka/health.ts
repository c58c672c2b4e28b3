import type { KafkaHealth } from "@/lib/contracts/health";
import type { KafkaAdminConnection } from "./admin";
import { readClusterMetadata, readMinInsyncReplicas, type ClusterMetadata } from "./cluster-metadata";
import { describeKafkaError } from "./errors";
import { BrokerMemory, replicationState } from "./replication";

/**
 * min.insync.replicas changes rarely (an operator altering the topic's configuration), so it is
 * read every 5 minutes, not every check.
 */
export const MIN_ISR_REFRESH_MS = 5 * 60_000;
/** After a failed read (no DescribeConfigs right, a broker away) it is tried again this much later. */
export const MIN_ISR_RETRY_MS = 60_000;

export interface KafkaHealthCheckOptions {
  connection: KafkaAdminConnection;
  /** The topics whose replication is watched: the outbox topic and the replay topics. */
  topics: readonly string[];
  /** Monotonic clock, in ms; injectable for tests. */
  now?: () => number;
}

/**
 * Kafka is "up" when the cluster answers a metadata request within the deadline and advertises at
 * least one broker. The same single request, for the watched topics, gives their replication state
 * (missing brokers, under-replicated and offline partitions); the brokers seen in earlier checks
 * are remembered so a missing one is reported even when it holds no replica of these topics.
 */
export class KafkaHealthCheck {
  readonly #connection: KafkaAdminConnection;
  readonly #topics: readonly string[];
  readonly #now: () => number;
  readonly #brokers = new BrokerMemory();
  #minIsr: { topics: string; values: Map<string, number>; readAt: number } | null = null;
  #minIsrNextReadAt = 0;
  #minIsrReading = false;

  constructor(options: KafkaHealthCheckOptions) {
    this.#connection = options.connection;
    this.#topics = [...new Set(options.topics)];
    this.#now = options.now ?? (() => performance.now());
  }

  /** Never throws: a failure is a "down" report with the reason. */
  async check(timeoutMs: number): Promise<KafkaHealth> {
    const started = performance.now();
    const bootstrapBrokers = [...this.#connection.brokers];
    let metadata: ClusterMetadata;
    try {
      metadata = await readClusterMetadata(this.#connection, this.#topics, timeoutMs);
    } catch (error) {
      return {
        status: "down",
        latencyMs: Math.round(performance.now() - started),
        error: describeKafkaError(error),
        detail: { bootstrapBrokers, brokers: [], controller: null, clusterId: null, replication: null },
      };
    }
    const latencyMs = Math.round(performance.now() - started);
    const { brokers, controller, clusterId } = metadata;
    if (brokers.length === 0) {
      return { status: "down", latencyMs, error: "the cluster answered but advertises no brokers", detail: { bootstrapBrokers, brokers, controller, clusterId, replication: null } };
    }
    this.#brokers.remember(brokers);
    const found = metadata.topics
      .filter((t) => t.partitions.length > 0)
      .map((t) => t.topic)
      .sort();
    this.#refreshMinIsr(found, timeoutMs);
    const minIsr = this.#minIsr?.topics === found.join("\n") ? this.#minIsr.values : null;
    return { status: "up", latencyMs, detail: { bootstrapBrokers, brokers, controller, clusterId, replication: replicationState(metadata, this.#topics, this.#brokers, minIsr) } };
  }

  /**
   * Reads min.insync.replicas in the background when it is due: a slow or refused DescribeConfigs
   * must not hold up or fail the check. Until the first read, partitions below it are not counted.
   */
  #refreshMinIsr(topics: readonly string[], timeoutMs: number): void {
    const key = topics.join("\n");
    const now = this.#now();
    const current = this.#minIsr?.topics === key && now - this.#minIsr.readAt < MIN_ISR_REFRESH_MS;
    if (topics.length === 0 || current || this.#minIsrReading || now < this.#minIsrNextReadAt) return;
    this.#minIsrReading = true;
    readMinInsyncReplicas(this.#connection, topics, timeoutMs)
      .then(
        (values) => {
          this.#minIsr = { topics: key, values, readAt: this.#now() };
        },
        () => {
          this.#minIsrNextReadAt = this.#now() + MIN_ISR_RETRY_MS;
        },
      )
      .finally(() => {
        this.#minIsrReading = false;
      });
  }
}
