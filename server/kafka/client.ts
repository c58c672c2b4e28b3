import type {
  Admin,
  AdminConfig,
  Consumer,
  ConsumerConfig,
  ISocketFactory,
  Producer,
  ProducerConfig,
  RetryOptions,
} from "kafkajs";
import type { Logger } from "@/server/log";
import { Kafka } from "./kafkajs";
import { KAFKA_LOG_LEVEL, createKafkaLogCreator } from "./logging";
import { createJavaCompatiblePartitioner } from "./partitioner";

/**
 * The only constructor of KafkaJS clients. Everything that talks to Kafka goes through server/kafka
 * so the library (KafkaJS 2.2.4, its last release) can be swapped without touching callers.
 */

export interface KafkaClientSettings {
  clientId: string;
  brokers: readonly string[];
  /** TCP connect timeout per broker. KafkaJS's default is 1 s. */
  connectionTimeoutMs?: number;
  /** Per-request timeout. KafkaJS's default is 30 s. */
  requestTimeoutMs?: number;
  /** Cluster-level retries (connecting, metadata). KafkaJS's default is 5 retries from 300 ms. */
  retry?: RetryOptions;
  /** How connections are opened; KafkaJS's plain TCP when absent. Tests use it to cut the network. */
  socketFactory?: ISocketFactory;
  logger: Logger;
}

/** Producer and consumer options without `allowAutoTopicCreation`, which this client always turns off. */
export type OutboxProducerConfig = Omit<ProducerConfig, "allowAutoTopicCreation">;
export type OutboxConsumerConfig = Omit<ConsumerConfig, "allowAutoTopicCreation">;

export interface KafkaClient {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** A new admin. KafkaJS admins never create topics. The caller connects and disconnects it. */
  admin(config?: AdminConfig): Admin;
  /** A new producer; never creates topics and uses the default (Java-compatible) partitioner. */
  producer(config?: OutboxProducerConfig): Producer;
  /** A new consumer; never creates topics. Subscribe to its CRASH event: an unhandled crash kills the process. */
  consumer(config: OutboxConsumerConfig): Consumer;
  /**
   * A new KafkaJS cluster (its connections, metadata and brokers) for plain Fetch requests without a
   * consumer group: see partition-fetcher.ts, the only user. Not part of KafkaJS's public API.
   */
  cluster(): unknown;
  /**
   * The KafkaJS cluster behind an admin this client made, for the one request the Admin API cannot
   * make: metadata with its partition errors (see cluster-metadata.ts). Not part of KafkaJS's public API.
   */
  clusterOf(admin: Admin): unknown;
}

/** The description of KafkaJS 2.2.4's private cluster factory on a `Kafka` instance. */
const CREATE_CLUSTER_SYMBOL = "private:Kafka:createCluster";

export function createKafkaClient(settings: KafkaClientSettings): KafkaClient {
  const kafka = new Kafka({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    retry: settings.retry,
    ...(settings.socketFactory ? { socketFactory: settings.socketFactory } : {}),
    logLevel: KAFKA_LOG_LEVEL,
    logCreator: createKafkaLogCreator(settings.logger),
  });

  const createCluster = () => {
    const factory = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === CREATE_CLUSTER_SYMBOL);
    const create = factory === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[factory];
    if (factory === undefined || typeof create !== "function") throw new Error("this KafkaJS version has no cluster factory (expected KafkaJS 2.2.x)");
    return { factory, create: create as (options: object) => unknown };
  };
  // Each admin's cluster, kept while the admin lives.
  const adminClusters = new WeakMap<Admin, unknown>();

  return {
    clientId: settings.clientId,
    brokers: settings.brokers,
    admin: (config) => {
      // Kafka#admin() builds its cluster through the instance's private factory and keeps it to
      // itself; the factory is wrapped for the duration of this synchronous call to see which one.
      const { factory, create } = createCluster();
      const holder = kafka as unknown as Record<symbol, unknown>;
      let cluster: unknown = null;
      holder[factory] = (options: object) => (cluster = create(options));
      try {
        const admin = kafka.admin(config);
        adminClusters.set(admin, cluster);
        return admin;
      } finally {
        holder[factory] = create;
      }
    },
    // A pipeline dashboard must never create the topic it is watching: a typo in OUTBOX_TOPIC
    // would otherwise produce an empty topic and a green dashboard.
    producer: (config) =>
      kafka.producer({ createPartitioner: createJavaCompatiblePartitioner, ...config, allowAutoTopicCreation: false }),
    consumer: (config) => kafka.consumer({ ...config, allowAutoTopicCreation: false }),
    cluster: () => createCluster().create({ allowAutoTopicCreation: false }),
    clusterOf: (admin) => {
      const cluster = adminClusters.get(admin);
      if (!cluster) throw new Error("this admin was not made by this client");
      return cluster;
    },
  };
}
