// Process plumbing for the local pipeline: detached services with their logs in files, waiting on
// conditions (never on fixed sleeps), and stopping whole process groups.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { setTimeout as delay } from "node:timers/promises";

export class StackError extends Error {
  constructor(
    message: string,
    /** The log whose tail explains the failure, printed by the CLI. */
    public logFile?: string,
  ) {
    super(message);
    this.name = "StackError";
  }
}

export interface ServiceSpawn {
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

/** Starts a service in its own process group, detached from ours, its output appended to logFile. */
export function spawnService(spec: ServiceSpawn): number {
  const out = fs.openSync(spec.logFile, "a");
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ["ignore", out, out],
    uid: spec.uid,
    gid: spec.gid,
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new StackError(`could not start ${spec.command}`, spec.logFile);
  child.unref();
  return child.pid;
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); it is dead for our purposes.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

// How long a service gets to stop on SIGTERM before SIGKILL: Kafka's controlled shutdown and
// Connect's offset flush take a few seconds; more than this means it is stuck.
const STOP_GRACE_MS = 20_000;

/** Stops a process group: SIGTERM, then SIGKILL after the grace period. */
export async function stopProcessGroup(pid: number, graceMs = STOP_GRACE_MS): Promise<void> {
  if (!isAlive(pid)) return;
  signalGroup(pid, "SIGTERM");
  const stopped = await waitUntil(() => !isAlive(pid), { timeoutMs: graceMs, intervalMs: 100 }).then(
    () => true,
    () => false,
  );
  if (!stopped) {
    signalGroup(pid, "SIGKILL");
    await waitUntil(() => !isAlive(pid), { timeoutMs: 5_000, intervalMs: 50, what: `process ${pid} to die` });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  what?: string;
  logFile?: string;
}

/**
 * Polls a condition until it holds; rejects with a StackError naming what was awaited. A probe that
 * throws a StackError ends the wait at once; other errors count as "not yet".
 */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  { timeoutMs, intervalMs = 250, what = "condition", logFile }: WaitOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      // A StackError from the probe is final (the service died); anything else may pass.
      if (error instanceof StackError) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new StackError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${reason}`, logFile);
    }
    await delay(intervalMs);
  }
}

/** True when something already listens on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(true));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(false)));
  });
}

export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

// Enough of a log to see why a service died, short enough to read in a terminal or CI output.
const LOG_TAIL_LINES = 40;

export function tailFile(file: string, lines = LOG_TAIL_LINES): string {
  try {
    const text = fs.readFileSync(file, "utf8");
    return text.split("\n").slice(-lines - 1).join("\n");
  } catch {
    return `(no log at ${file})`;
  }
}

/** Runs a short command to completion; throws a StackError with its output when it fails. */
export function run(command: string, args: string[], options: { cwd?: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv; what: string }): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw new StackError(`${options.what} failed: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-LOG_TAIL_LINES).join("\n");
    throw new StackError(`${options.what} failed (exit ${result.status}):\n${output}`);
  }
  return result.stdout;
}
