// Fault injection for the reliability suite (e2e-faults/): hangs (SIGSTOP … SIGCONT), crashes
// (SIGKILL) and restarts of the stack's own services. Only the processes the stack started, on
// loopback; every fault is undone by the caller, and `down` cleans up whatever is left.
import fs from "node:fs";
import type { StackConfig } from "./config";
import { startConnect, waitForConnect } from "./connect";
import { kafkaLogFile, startKafkaNode, waitForKafkaNode } from "./kafka";
import { readState, type StackState } from "./lifecycle";
import { findToolchain } from "./lib/prereqs";
import { isAlive, StackError } from "./lib/proc";
import { postmasterPid, restartPostgres } from "./postgres";

function state(config: StackConfig): StackState {
  const current = readState(config);
  if (!current) throw new StackError(`no stack runs in ${config.dir}`);
  return current;
}

function saveState(config: StackConfig, next: StackState): void {
  fs.writeFileSync(`${config.dir}/state.json`, JSON.stringify(next, null, 2));
}

/** A process and all its descendants (from /proc), parents first. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const tree: number[] = [];
  const walk = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return tree;
}

function signalTree(root: number, signal: NodeJS.Signals): void {
  for (const pid of processTree(root)) {
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

function kafkaPid(config: StackConfig, node: number): number {
  const pid = state(config).services[`kafka-${node}`];
  if (!pid || !isAlive(pid)) throw new StackError(`Kafka node ${node} is not running`);
  return pid;
}

/** A hang: the broker's JVM stops answering but keeps its connections open. */
export function hangKafka(config: StackConfig, node = 1): void {
  signalTree(kafkaPid(config, node), "SIGSTOP");
}

export function resumeKafka(config: StackConfig, node = 1): void {
  signalTree(kafkaPid(config, node), "SIGCONT");
}

/** A crash: the broker dies at once, without a controlled shutdown. */
export async function crashKafka(config: StackConfig, node = 1): Promise<void> {
  const pid = kafkaPid(config, node);
  signalTree(pid, "SIGKILL");
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Starts a crashed node again on its data and waits until it serves requests. */
export async function restartKafka(config: StackConfig, node = 1): Promise<void> {
  const since = fs.statSync(kafkaLogFile(config, node), { throwIfNoEntry: false })?.size ?? 0;
  const pid = startKafkaNode(config, findToolchain(config), node);
  const next = state(config);
  next.services[`kafka-${node}`] = pid;
  saveState(config, next);
  await waitForKafkaNode(config, node, pid, since);
}

/** PostgreSQL's postmaster and every backend: all of them stop answering. */
export function hangPostgres(config: StackConfig): void {
  const pid = postmasterPid(config);
  if (!pid) throw new StackError("PostgreSQL is not running");
  signalTree(pid, "SIGSTOP");
}

export function resumePostgres(config: StackConfig): void {
  const pid = postmasterPid(config);
  if (pid) signalTree(pid, "SIGCONT");
}

export function bouncePostgres(config: StackConfig): void {
  restartPostgres(config, findToolchain(config));
}

/** Kafka Connect dies at once (Debezium's task with it); the slot stays, its lag grows. */
export async function crashConnect(config: StackConfig): Promise<void> {
  const pid = state(config).services.connect;
  if (!pid || !isAlive(pid)) throw new StackError("Kafka Connect is not running");
  signalTree(pid, "SIGKILL");
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Starts Connect again (standalone: its offsets file lets Debezium resume where it stopped) and waits until it streams. */
export async function restartConnect(config: StackConfig): Promise<void> {
  const pid = startConnect(config, findToolchain(config));
  const next = state(config);
  next.services.connect = pid;
  saveState(config, next);
  await waitForConnect(config, pid);
}
