// Helpers of the integration tests of server/kafka against the test stack (stack/test-env.ts):
// clients, topics of their own, and Kafka's own command-line tools as the reference.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import type { ISocketFactory, Message } from "kafkajs";
import { stackConfig, stackEnv } from "@/stack/config";
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

/** One row of `kafka-consumer-groups --describe`: the reference the dashboard's lag must match. */
export interface KafkaToolGroupRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number;
  lag: number | null;
}

const execFileAsync = promisify(execFile);

/** Runs Kafka's own ConsumerGroupCommand (the stack's jars) and parses its table. */
export async function describeGroupWithKafkaTool(groupId: string): Promise<KafkaToolGroupRow[]> {
  const classpathFile = fs.readdirSync(testStack.dir).find((name) => /^classpath-.*\.txt$/.test(name));
  if (!classpathFile) throw new Error(`no cached classpath in ${testStack.dir}: start the test stack first`);
  const classpath = fs.readFileSync(path.join(testStack.dir, classpathFile), "utf8").trim();
  const { stdout } = await execFileAsync(
    "java",
    [
      "-cp",
      classpath,
      "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
      "--bootstrap-server",
      testBrokers.join(","),
      "--describe",
      "--group",
      groupId,
    ],
    { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
  );
  const lines = stdout.split("\n").map((line) => line.trim().split(/\s+/));
  const header = lines.find((cells) => cells[0] === "GROUP");
  if (!header) throw new Error(`ConsumerGroupCommand printed no table:\n${stdout}`);
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`ConsumerGroupCommand has no ${name} column:\n${stdout}`);
    return at;
  };
  const [topicAt, partitionAt, currentAt, endAt, lagAt] = ["TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG"].map(column);
  const number = (cell: string | undefined) => (cell === undefined || cell === "-" ? null : Number(cell));
  return lines
    .filter((cells) => cells[0] === groupId)
    .map((cells) => ({
      topic: cells[topicAt!]!,
      partition: Number(cells[partitionAt!]),
      currentOffset: number(cells[currentAt!]),
      logEndOffset: Number(cells[endAt!]),
      lag: number(cells[lagAt!]),
    }))
    .sort((a, b) => a.partition - b.partition);
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
