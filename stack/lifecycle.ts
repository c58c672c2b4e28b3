// Bringing the whole local pipeline up and down: PostgreSQL → Kafka → Kafka Connect + Debezium →
// event processor. `up` returns only when change events stream from the replication slot, and
// leaves nothing half-running when any step fails. State lives in config.dir; state.json records
// what runs so that `down`, `status` and a second `up` know it.
import fs from "node:fs";
import path from "node:path";
import { ensureStackCredentials, stackAuthEnv, stackUsesAuth } from "./auth";
import { stackEnv, type StackConfig } from "./config";
import { connectLogFile, connectorStatus, startConnect, waitForConnect } from "./connect";
import { createTopic, kafkaLogFile, startKafka, waitForKafka } from "./kafka";
import { findToolchain, type Toolchain } from "./lib/prereqs";
import { isAlive, portInUse, StackError, stopProcessGroup, tailFile } from "./lib/proc";
import { dropReplication, pgLogFile, postgresIsReady, postmasterPid, replicationSlot, startPostgres, stopPostgres } from "./postgres";
import { processorLogFile, startProcessor, waitForProcessor } from "./processor";

export interface StackState {
  profile: string;
  brokers: number;
  startedAt: string;
  readyMs: number;
  pgBin?: string;
  services: Record<string, number>;
}

function stateFile(config: StackConfig): string {
  return path.join(config.dir, "state.json");
}

export function readState(config: StackConfig): StackState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(config), "utf8")) as StackState;
  } catch {
    return undefined;
  }
}

export function logFiles(config: StackConfig): Record<string, string> {
  const files: Record<string, string> = { postgres: pgLogFile(config) };
  for (let node = 1; node <= config.brokers; node++) files[`kafka-${node}`] = kafkaLogFile(config, node);
  files.connect = connectLogFile(config);
  files.processor = processorLogFile(config);
  return files;
}

export interface ServiceHealth {
  name: string;
  pid?: number;
  alive: boolean;
  detail?: string;
}

export async function inspect(config: StackConfig): Promise<{ state?: StackState; services: ServiceHealth[]; healthy: boolean }> {
  const state = readState(config);
  if (!state) return { services: [], healthy: false };
  const services: ServiceHealth[] = [];
  if (!config.externalDatabaseUrl) {
    const pid = postmasterPid(config);
    services.push({ name: "postgres", pid, alive: isAlive(pid) && (await postgresIsReady(config)) });
  } else {
    services.push({ name: "postgres (external)", alive: await postgresIsReady(config) });
  }
  for (const [name, pid] of Object.entries(state.services)) services.push({ name, pid, alive: isAlive(pid) });
  const connect = services.find((s) => s.name === "connect");
  if (connect?.alive) {
    const status = await connectorStatus(config).catch(() => undefined);
    const tasks = status?.tasks.map((t) => `task ${t.id} ${t.state}`).join(", ") ?? "no tasks";
    connect.detail = status ? `connector ${status.connector.state}, ${tasks}` : "REST API not answering";
    connect.alive = status?.connector.state === "RUNNING" && status.tasks.every((t) => t.state === "RUNNING");
  }
  const pg = services[0];
  if (pg?.alive) {
    const slot = await replicationSlot(config).catch(() => undefined);
    pg.detail = slot ? `slot ${slot.slotName} ${slot.active ? "active" : "inactive"}, lag ${slot.lagBytes ?? "?"} bytes` : "no replication slot";
  }
  return { state, services, healthy: services.every((s) => s.alive) };
}

async function checkPorts(config: StackConfig): Promise<void> {
  const wanted: [string, number][] = [];
  if (!config.externalDatabaseUrl) wanted.push(["PostgreSQL (STACK_PG_PORT)", config.ports.postgres]);
  config.ports.kafka.forEach((p, i) => wanted.push([`Kafka node ${i + 1} (STACK_KAFKA_PORT)`, p]));
  config.ports.controller.forEach((p, i) => wanted.push([`Kafka controller ${i + 1} (STACK_KAFKA_CONTROLLER_PORT)`, p]));
  wanted.push(["Kafka Connect REST (STACK_CONNECT_PORT)", config.ports.connect]);
  const taken: string[] = [];
  for (const [what, port] of wanted) if (await portInUse(port)) taken.push(`${port} for ${what}`);
  if (taken.length > 0) {
    throw new StackError(
      `port${taken.length > 1 ? "s" : ""} already in use: ${taken.join("; ")}. ` +
        "Stop what listens there (ss -ltnp shows it) or choose other ports with the variables named.",
    );
  }
}

export interface UpResult {
  alreadyRunning: boolean;
  readyMs: number;
  envFile: string;
}

type Log = (line: string) => void;

/** Starts the pipeline; harmless when it already runs; resets a stale one left by a crash. */
export async function up(config: StackConfig, log: Log = console.log): Promise<UpResult> {
  const existing = await inspect(config);
  if (existing.state) {
    if (existing.healthy && existing.state.brokers === config.brokers) {
      await writeEnvFile(config);
      return { alreadyRunning: true, readyMs: 0, envFile: config.envFile };
    }
    const dead = existing.services.filter((s) => !s.alive).map((s) => s.name);
    log(
      existing.state.brokers !== config.brokers
        ? `a ${existing.state.brokers}-broker stack is running; replacing it with ${config.brokers}`
        : `stale stack state in ${config.dir} (${dead.join(", ") || "unknown"} not running): resetting it`,
    );
    await down(config, log);
  } else if (fs.existsSync(path.join(config.dir, "pg", "data", "postmaster.pid")) || fs.existsSync(path.join(config.dir, "kafka-1"))) {
    log(`leftovers of an earlier stack in ${config.dir}: resetting them`);
    await down(config, log);
  }

  const started = Date.now();
  const toolchain = findToolchain(config);
  await checkPorts(config);
  const services: Record<string, number> = {};
  const state: StackState = {
    profile: config.profile,
    brokers: config.brokers,
    startedAt: new Date(started).toISOString(),
    readyMs: 0,
    pgBin: toolchain.pgBin,
    services,
  };
  const save = () => fs.writeFileSync(stateFile(config), JSON.stringify(state, null, 2));
  const phase = (name: string) => log(`  ${name.padEnd(34)} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  try {
    fs.mkdirSync(path.join(config.dir, "logs"), { recursive: true });
    // Each run starts its logs afresh: start-up waits read them for readiness lines.
    for (const file of Object.values(logFiles(config))) fs.rmSync(file, { force: true });
    save();
    // Kafka's JVMs boot while PostgreSQL initialises: the two are independent.
    const kafkaPids = startKafka(config, toolchain);
    kafkaPids.forEach((pid, i) => (services[`kafka-${i + 1}`] = pid));
    save();
    await startPostgres(config, toolchain);
    phase(config.externalDatabaseUrl ? "PostgreSQL (external) ready" : `PostgreSQL ready on ${config.ports.postgres}`);
    await waitForKafka(config, kafkaPids);
    phase(`Kafka ready on ${config.ports.kafka.join(",")}`);
    createTopic(config, toolchain, config.topic);
    phase(`topic ${config.topic} ready`);
    if (config.replayTopic) {
      createTopic(config, toolchain, config.replayTopic);
      phase(`replay topic ${config.replayTopic} ready`);
    }
    services.connect = startConnect(config, toolchain);
    save();
    await waitForConnect(config, services.connect);
    phase(`Debezium streaming (slot ${config.slotName})`);
    if (config.processor) {
      services.processor = startProcessor(config, toolchain);
      save();
      await waitForProcessor(config, services.processor);
      phase(`processor joined ${config.processorGroupId}`);
    }
    state.readyMs = Date.now() - started;
    save();
    await writeEnvFile(config);
    return { alreadyRunning: false, readyMs: state.readyMs, envFile: config.envFile };
  } catch (error) {
    if (error instanceof StackError && error.logFile) {
      log(`\n${error.message}\n--- last lines of ${error.logFile} ---\n${tailFile(error.logFile)}\n---`);
      error.logFile = undefined;
    }
    log("stopping what was started…");
    await down(config, () => undefined).catch(() => undefined);
    throw error;
  }
}

async function writeEnvFile(config: StackConfig): Promise<void> {
  const env = stackEnv(config);
  if (stackUsesAuth(config)) Object.assign(env, stackAuthEnv(config, await ensureStackCredentials(config)));
  const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(config.envFile, `# Written by stack:up for the ${config.profile} stack.\n${lines.join("\n")}\n`);
}

/**
 * Stops every service, drops the replication slot and publication, and removes the stack's data
 * (it is throwaway); logs stay for a post-mortem.
 */
export async function down(config: StackConfig, log: Log = console.log): Promise<void> {
  const state = readState(config);
  const services = state?.services ?? {};
  // Consumers and Connect first, so the slot is released before it is dropped.
  for (const name of ["processor", "connect"]) {
    const pid = services[name];
    if (pid && isAlive(pid)) {
      log(`  stopping ${name} (pid ${pid})`);
      await stopProcessGroup(pid);
    }
  }
  const toolchain: Pick<Toolchain, "pgBin"> = { pgBin: state?.pgBin };
  if (await postgresIsReady(config)) {
    await dropReplication(config).catch((error: unknown) => log(`  could not drop the replication slot: ${(error as Error).message}`));
  }
  const kafka = Object.entries(services).filter(([name]) => name.startsWith("kafka-"));
  await Promise.all(
    kafka.map(async ([name, pid]) => {
      if (!isAlive(pid)) return;
      log(`  stopping ${name} (pid ${pid})`);
      await stopProcessGroup(pid);
    }),
  );
  if (!toolchain.pgBin && postmasterPid(config)) toolchain.pgBin = findPgBinQuietly(config);
  if (isAlive(postmasterPid(config))) {
    log("  stopping PostgreSQL");
    await stopPostgres(config, toolchain);
  }
  if (fs.existsSync(config.dir)) {
    for (const entry of fs.readdirSync(config.dir)) {
      if (entry === "logs" || entry.startsWith("classpath-")) continue;
      fs.rmSync(path.join(config.dir, entry), { recursive: true, force: true });
    }
  }
}

function findPgBinQuietly(config: StackConfig): string | undefined {
  try {
    return findToolchain(config).pgBin;
  } catch {
    return undefined;
  }
}
