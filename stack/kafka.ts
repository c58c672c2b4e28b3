// The stack's Apache Kafka: one combined broker+controller node in KRaft mode, or a fixed
// three-voter quorum with replication factor 3 and min.insync.replicas 2 (`--brokers 3`).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { kafkaBootstrap, type StackConfig } from "./config";
import { jvmArgs, writeProperties } from "./lib/jvm";
import { isAlive, run, spawnService, StackError, waitUntil } from "./lib/proc";
import type { Toolchain } from "./lib/prereqs";

// A fresh KRaft node is up in 5-15 s on two cores; the rest is headroom for a loaded CI machine.
const KAFKA_START_TIMEOUT_MS = 90_000;
// Printed by KafkaRaftServer once the broker serves requests.
const READY_LINE = "Kafka Server started";

export function kafkaNodeDir(config: StackConfig, node: number): string {
  return path.join(config.dir, `kafka-${node}`);
}

export function kafkaLogFile(config: StackConfig, node: number): string {
  return path.join(config.dir, "logs", `kafka-${node}.log`);
}

// Port offsets from the broker's own port; clear of the controller ports (+100).
const PROXIED_LISTENER_OFFSET = 200;
const PROXIED_PROXY_OFFSET = 300;

/**
 * The reliability suite's network scenario puts a TCP proxy of its own between a dashboard and
 * Kafka. A proxy in front of a broker's usual listener would be bypassed after the first request
 * (metadata names the advertised address), so the faults stack's brokers have a second listener,
 * PROXIED, on `listener`, which advertises `proxy`, where the test's proxy listens: a client that
 * bootstraps through the proxy then reaches every broker through it.
 */
export function kafkaProxiedPorts(config: StackConfig, node: number): { listener: number; proxy: number } | null {
  if (config.profile !== "faults") return null;
  const port = config.ports.kafka[node - 1]!;
  return { listener: port + PROXIED_LISTENER_OFFSET, proxy: port + PROXIED_PROXY_OFFSET };
}

function serverProperties(config: StackConfig, node: number): Record<string, string | number | boolean> {
  const index = node - 1;
  const proxied = kafkaProxiedPorts(config, node);
  const replication = config.brokers === 3 ? 3 : 1;
  const minIsr = config.brokers === 3 ? 2 : 1;
  const controllers = config.ports.controller.map((p, i) => `${i + 1}@127.0.0.1:${p}`).join(",");
  return {
    "process.roles": "broker,controller",
    "node.id": node,
    ...(config.brokers === 1
      ? { "controller.quorum.bootstrap.servers": `127.0.0.1:${config.ports.controller[0]}` }
      : { "controller.quorum.voters": controllers }),
    listeners: `PLAINTEXT://127.0.0.1:${config.ports.kafka[index]},CONTROLLER://127.0.0.1:${config.ports.controller[index]}${proxied ? `,PROXIED://127.0.0.1:${proxied.listener}` : ""}`,
    "advertised.listeners": `PLAINTEXT://127.0.0.1:${config.ports.kafka[index]}${proxied ? `,PROXIED://127.0.0.1:${proxied.proxy}` : ""}`,
    "controller.listener.names": "CONTROLLER",
    "inter.broker.listener.name": "PLAINTEXT",
    "listener.security.protocol.map": `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${proxied ? ",PROXIED:PLAINTEXT" : ""}`,
    "log.dirs": path.join(kafkaNodeDir(config, node), "data"),
    "num.partitions": config.topicPartitions,
    "default.replication.factor": replication,
    "min.insync.replicas": minIsr,
    "offsets.topic.replication.factor": replication,
    // 50 partitions (the default) slow the first group join on a small machine for nothing.
    "offsets.topic.num.partitions": 10,
    "transaction.state.log.replication.factor": replication,
    "transaction.state.log.min.isr": minIsr,
    "share.coordinator.state.topic.replication.factor": replication,
    "share.coordinator.state.topic.min.isr": minIsr,
    "group.initial.rebalance.delay.ms": 0,
    // Topics are created on purpose (the outbox topic by stack:up, Connect's by its worker).
    "auto.create.topics.enable": false,
    "log.retention.hours": 24,
    "log.segment.bytes": 64 * 1024 * 1024,
    // The bad-input corpus of the reliability tests produces records of up to 20 MB.
    "message.max.bytes": 32 * 1024 * 1024,
    "replica.fetch.max.bytes": 32 * 1024 * 1024,
  };
}

export function startKafka(config: StackConfig, toolchain: Toolchain): number[] {
  fs.mkdirSync(path.join(config.dir, "logs"), { recursive: true });
  const clusterIdFile = path.join(config.dir, "kafka-cluster-id");
  if (!fs.existsSync(clusterIdFile)) {
    // A KRaft cluster id is a base64url-encoded random UUID (what `kafka-storage random-uuid` prints).
    // Like Kafka's Uuid.randomUuid, never one that starts with "-": the storage tool's argument
    // parser would read it as an option (one id in 64 did).
    let id: string;
    do id = crypto.randomBytes(16).toString("base64url");
    while (id.startsWith("-"));
    fs.writeFileSync(clusterIdFile, id);
  }
  const clusterId = fs.readFileSync(clusterIdFile, "utf8").trim();
  const pids: number[] = [];
  for (let node = 1; node <= config.brokers; node++) pids.push(startKafkaNode(config, toolchain, node, clusterId));
  return pids;
}

/** Starts one node (formatting its storage the first time); returns its pid. Also restarts a node that was stopped. */
export function startKafkaNode(config: StackConfig, toolchain: Toolchain, node: number, clusterId = fs.readFileSync(path.join(config.dir, "kafka-cluster-id"), "utf8").trim()): number {
  const dir = kafkaNodeDir(config, node);
  fs.mkdirSync(dir, { recursive: true });
  const propsFile = path.join(dir, "server.properties");
  fs.writeFileSync(propsFile, writeProperties(serverProperties(config, node)));
  if (!fs.existsSync(path.join(dir, "data", "meta.properties"))) {
    const format = ["kafka.tools.StorageTool", "format", `--cluster-id=${clusterId}`, `--config=${propsFile}`, "--ignore-formatted"];
    if (config.brokers === 1) format.push("--standalone");
    run(toolchain.java, [...jvmArgs(config, toolchain, 256), ...format], { what: `formatting Kafka storage of node ${node}` });
  }
  return spawnService({
    command: toolchain.java,
    args: [...jvmArgs(config, toolchain), "kafka.Kafka", propsFile],
    cwd: dir,
    logFile: kafkaLogFile(config, node),
  });
}

/** Waits until a node that was (re)started after its log reached `sinceBytes` serves requests. */
export async function waitForKafkaNode(config: StackConfig, node: number, pid: number, sinceBytes = 0): Promise<void> {
  const logFile = kafkaLogFile(config, node);
  await waitUntil(
    () => {
      if (!isAlive(pid)) throw new StackError(`Kafka node ${node} exited during start-up`, logFile);
      return fs.readFileSync(logFile).subarray(sinceBytes).includes(READY_LINE);
    },
    { timeoutMs: KAFKA_START_TIMEOUT_MS, what: `Kafka node ${node} to start`, logFile },
  );
}

export async function waitForKafka(config: StackConfig, pids: number[]): Promise<void> {
  await Promise.all(pids.map((pid, i) => waitForKafkaNode(config, i + 1, pid)));
}

/** Creates a topic (the outbox topic, a replay topic) up front so consumers and the dashboard see its partitions at once. */
export function createTopic(config: StackConfig, toolchain: Toolchain, topic: string): void {
  run(
    toolchain.java,
    [
      ...jvmArgs(config, toolchain, 256),
      "org.apache.kafka.tools.TopicCommand",
      "--bootstrap-server",
      kafkaBootstrap(config),
      "--create",
      "--if-not-exists",
      "--topic",
      topic,
      "--partitions",
      String(config.topicPartitions),
      "--replication-factor",
      String(config.brokers === 3 ? 3 : 1),
    ],
    { what: `creating topic ${topic}` },
  );
}
