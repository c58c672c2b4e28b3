// Helpers of the integration tests of server/kafka against the test stack (stack/test-env.ts):
// clients, topics of their own, and Kafka's own command-line tools as the reference.
import { randomUUID } from "node:crypto";
import net from "node:net";
import type { ISocketFactory, Message } from "kafkajs";
import { stackConfig, stackEnv } from "@/stack/config";
import { describeGroupsWithKafkaTool, type KafkaToolGroupRow } from "@/stack/lib/kafka-tools";
import { createLogger, type Logger } from "@/server/log";
import { KafkaAdminConnection } from "./admin";
import { createKafkaClient, type KafkaClient } from "./client";

export const testStack = stackConfig({ profile: "test" });
export const testEnv = stackEnv(testStack);
export const testBrokers = testEnv.KAFKA_BROKERS!.split(",");

/** Generous for a loaded 2-core machine; an operation that takes longer is broken, not slow. */
export const ADMIN_TEST_TIMEOUT_MS = 30_000;

export interface TestKafka {
  client: KafkaClient;
  admin: KafkaAdminConnection;
  logger: Logger;
  close(): Promise<void>;
}

export function testKafka(scope: string): TestKafka {
  const logger = createLogger(scope);
  const client = createKafkaClient({ clientId: `outbox-lens-${scope}`, brokers: testBrokers, logger });
  const admin = new KafkaAdminConnection(client);
  return { client, admin, logger, close: () => admin.disconnect() };
}

/** A topic of the test's own, named after its purpose and unique per run. */
export async function createTestTopic(
  admin: KafkaAdminConnection,
  purpose: string,
  partitions: number,
  configEntries: { name: string; value: string }[] = [],
): Promise<string> {
  const topic = `lens-test-${purpose}-${randomUUID().slice(0, 8)}`;
  await admin.run(`create topic ${topic}`, ADMIN_TEST_TIMEOUT_MS, (a) =>
    a.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }] }),
  );
  return topic;
}

export async function deleteTestTopic(admin: KafkaAdminConnection, topic: string): Promise<void> {
  await admin.run(`delete topic ${topic}`, ADMIN_TEST_TIMEOUT_MS, (a) => a.deleteTopics({ topics: [topic] })).catch(() => undefined);
}

/** Sends the messages (each with its partition) and waits for every acknowledgement. */
export async function produce(client: KafkaClient, topic: string, messages: Message[]): Promise<void> {
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export type { KafkaToolGroupRow } from "@/stack/lib/kafka-tools";

/** Runs Kafka's own ConsumerGroupCommand (the stack's jars) for one group of the test stack. */
export function describeGroupWithKafkaTool(groupId: string): Promise<KafkaToolGroupRow[]> {
  return describeGroupsWithKafkaTool(testStack.dir, testBrokers, ["--group", groupId]);
}

/**
 * A KafkaJS socket factory whose connections the test can cut: what a broker outage looks like
 * to the client (established connections reset, new ones refused), without touching the shared
 * broker the other tests and the pipeline use.
 */
export class SeverableNetwork {
  #cut = false;
  readonly #sockets = new Set<net.Socket>();

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    if (this.#cut) {
      const refused = new net.Socket();
      // After KafkaJS has attached its error handler to the returned socket.
      setImmediate(() => refused.destroy(Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (network cut by the test)`), { code: "ECONNREFUSED" })));
      return refused;
    }
    const socket = net.connect({ host, port }, onConnect);
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
    return socket;
  };

  cut(): void {
    this.#cut = true;
    for (const socket of this.#sockets) socket.destroy(new Error("connection reset (network cut by the test)"));
  }

  restore(): void {
    this.#cut = false;
  }
}
