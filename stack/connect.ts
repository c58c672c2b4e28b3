// The stack's Kafka Connect worker (standalone) running the Debezium PostgreSQL connector.
// Standalone mode keeps source offsets in a file under the stack's directory; the connector's
// configuration is a properties file given on the command line, so it is back after a restart.
import fs from "node:fs";
import path from "node:path";
import { KafkaConnectClient, type ConnectorStatus } from "@/server/connect/client";
import { databaseUrl, kafkaBootstrap, type StackConfig } from "./config";
import { jvmArgs, writeProperties } from "./lib/jvm";
import { isAlive, spawnService, StackError, waitUntil } from "./lib/proc";
import type { Toolchain } from "./lib/prereqs";
import { replicationSlot } from "./postgres";

// Connect scans its classpath for plugins and Debezium takes a snapshot before streaming; on two
// busy cores that has taken up to ~40 s.
const CONNECT_START_TIMEOUT_MS = 120_000;

export function connectDir(config: StackConfig): string {
  return path.join(config.dir, "connect");
}

export function connectLogFile(config: StackConfig): string {
  return path.join(config.dir, "logs", "connect.log");
}

export function connectUrl(config: StackConfig): string {
  return `http://127.0.0.1:${config.ports.connect}`;
}

function workerProperties(config: StackConfig): Record<string, string | number | boolean> {
  return {
    "bootstrap.servers": kafkaBootstrap(config),
    "key.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "key.converter.schemas.enable": false,
    "value.converter.schemas.enable": false,
    "offset.storage.file.filename": path.join(connectDir(config), "offsets.dat"),
    "offset.flush.interval.ms": 1_000,
    listeners: `http://127.0.0.1:${config.ports.connect}`,
    // Every plugin is on the worker's classpath, found through its ServiceLoader manifest;
    // skipping the reflective scan saves seconds at each start.
    "plugin.discovery": "service_load",
    // Low latency from commit to topic: the producer waits at most 5 ms to fill a batch.
    "producer.linger.ms": 5,
    "producer.max.request.size": 32 * 1024 * 1024,
  };
}

function connectorProperties(config: StackConfig): Record<string, string | number | boolean> {
  const db = new URL(databaseUrl(config));
  return {
    name: config.connectorName,
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
    "tasks.max": 1,
    "plugin.name": "pgoutput",
    "database.hostname": db.hostname,
    "database.port": db.port || "5432",
    "database.user": decodeURIComponent(db.username || "postgres"),
    "database.password": decodeURIComponent(db.password),
    "database.dbname": db.pathname.replace(/^\//, ""),
    "topic.prefix": config.topic.split(".")[0] ?? "postgres",
    "schema.include.list": config.schema,
    "table.include.list": `${config.schema}.${config.table}`,
    "slot.name": config.slotName,
    "publication.name": config.publicationName,
    "publication.autocreate.mode": "filtered",
    "snapshot.mode": "initial",
    // Debezium waits this long for new changes before handing a batch to Connect (default 500 ms,
    // which would dominate the capture latency the dashboard measures).
    "poll.interval.ms": 50,
    "max.batch.size": 4_096,
    "max.queue.size": 16_384,
    "tombstones.on.delete": true,
    "topic.creation.default.partitions": config.topicPartitions,
    "topic.creation.default.replication.factor": config.brokers === 3 ? 3 : 1,
  };
}

export function startConnect(config: StackConfig, toolchain: Toolchain): number {
  const dir = connectDir(config);
  fs.mkdirSync(dir, { recursive: true });
  const workerFile = path.join(dir, "worker.properties");
  const connectorFile = path.join(dir, "outbox-connector.properties");
  fs.writeFileSync(workerFile, writeProperties(workerProperties(config)));
  fs.writeFileSync(connectorFile, writeProperties(connectorProperties(config)));
  return spawnService({
    command: toolchain.java,
    args: [...jvmArgs(config, toolchain), "org.apache.kafka.connect.cli.ConnectStandalone", workerFile, connectorFile],
    cwd: dir,
    logFile: connectLogFile(config),
  });
}

// Connect's REST API answers in milliseconds when up; a worker that takes longer is not ready.
const CONNECT_REQUEST_TIMEOUT_MS = 2_000;

/** The connector's status through the dashboard's own Connect client; null when not registered yet. */
export function connectorStatus(config: StackConfig): Promise<ConnectorStatus | null> {
  return new KafkaConnectClient({ baseUrl: connectUrl(config), requestTimeoutMs: CONNECT_REQUEST_TIMEOUT_MS }).getConnectorStatus(config.connectorName);
}

/** Waits until the connector and its task run and the replication slot is streaming. */
export async function waitForConnect(config: StackConfig, pid: number): Promise<void> {
  const logFile = connectLogFile(config);
  await waitUntil(
    async () => {
      if (!isAlive(pid)) throw new StackError("Kafka Connect exited during start-up", logFile);
      const status = await connectorStatus(config);
      const failed = status?.tasks.find((t) => t.state === "FAILED");
      if (failed) {
        throw new StackError(
          `Debezium task ${failed.id} FAILED: ${failed.trace?.split("\n").slice(0, 3).join(" ") ?? "no trace"}`,
          logFile,
        );
      }
      if (status?.connector.state !== "RUNNING" || status.tasks.length === 0) return false;
      if (!status.tasks.every((t) => t.state === "RUNNING")) return false;
      const slot = await replicationSlot(config);
      return slot?.active === true;
    },
    { timeoutMs: CONNECT_START_TIMEOUT_MS, intervalMs: 500, what: "the Debezium connector to stream from its replication slot", logFile },
  );
}
