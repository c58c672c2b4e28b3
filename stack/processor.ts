// Launches the reference event processor (stack/processor/EventProcessor.java) with the stack's
// classpath. Its knobs come from the environment: PROCESSOR_HANDLING_MS (mean handling time, default
// 5), PROCESSOR_FAILURE_RATE (default 0.02, 0 in the test profile), PROCESSOR_CONCURRENCY (default 32).
// A payload with {"simulateFailure": "message"} fails with that message (always, or with
// "failAttempts": N only while retry_count < N).
import fs from "node:fs";
import path from "node:path";
import { databaseUrl, kafkaBootstrap, type StackConfig } from "./config";
import { jvmArgs } from "./lib/jvm";
import { isAlive, spawnService, StackError, waitUntil } from "./lib/proc";
import type { Toolchain } from "./lib/prereqs";

// The processor holds at most one poll (1,000 records) in memory; 256 MB is generous.
const PROCESSOR_HEAP_MB = 256;
// Compiling the single-file program and joining the group takes a few seconds; the first join after
// a broker starts waits for the group coordinator to load.
const PROCESSOR_READY_TIMEOUT_MS = 60_000;
// Printed by EventProcessor once it owns partitions.
const READY_LINE = "partitions assigned:";

export function processorLogFile(config: StackConfig): string {
  return path.join(config.dir, "logs", "processor.log");
}

export function processorCommand(config: StackConfig, toolchain: Toolchain): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const db = new URL(databaseUrl(config));
  const jdbc = `jdbc:postgresql://${db.hostname}:${db.port || 5432}${db.pathname}?user=${encodeURIComponent(
    decodeURIComponent(db.username || "postgres"),
  )}${db.password ? `&password=${encodeURIComponent(decodeURIComponent(db.password))}` : ""}`;
  return {
    command: toolchain.java,
    args: [...jvmArgs(config, toolchain, PROCESSOR_HEAP_MB), path.join(config.root, "stack", "processor", "EventProcessor.java")],
    env: {
      ...process.env,
      KAFKA_BROKERS: kafkaBootstrap(config),
      OUTBOX_TOPIC: config.topic,
      PROCESSOR_GROUP_ID: config.processorGroupId,
      PROCESSOR_JDBC_URL: jdbc,
      OUTBOX_TABLE: `${config.schema}.${config.table}`,
      PROCESSOR_FAILURE_RATE: String(config.processorFailureRate),
      PROCESSOR_HANDLING_MS: String(config.processorHandlingMs),
    },
  };
}

export function startProcessor(config: StackConfig, toolchain: Toolchain): number {
  const { command, args, env } = processorCommand(config, toolchain);
  return spawnService({ command, args, env, cwd: config.dir, logFile: processorLogFile(config) });
}

/** Waits until the processor has joined its group and owns partitions. */
export async function waitForProcessor(config: StackConfig, pid: number): Promise<void> {
  const logFile = processorLogFile(config);
  await waitUntil(
    () => {
      if (!isAlive(pid)) throw new StackError("the event processor exited during start-up", logFile);
      return fs.readFileSync(logFile, "utf8").includes(READY_LINE);
    },
    { timeoutMs: PROCESSOR_READY_TIMEOUT_MS, what: `the event processor to join group ${config.processorGroupId}`, logFile },
  );
}
