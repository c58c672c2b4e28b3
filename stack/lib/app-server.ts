import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isAlive, spawnService, stopProcessGroup, StackError, waitUntil } from "./proc";
import { SERVER_NODE_FLAGS } from "./server-flags";

/** Sources of the production build: a build older than any of them is rebuilt before a bench. */
const BUILD_INPUTS = ["app", "components", "lib", "next.config.mjs", "package-lock.json"];
/** The production server starts in a few seconds; a cold disk on a busy machine gets this long. */
const SERVER_START_TIMEOUT_MS = 60_000;

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** Runs `next build` when there is no production build or it is older than its sources. */
export function ensureProductionBuild(): void {
  const built = fs.statSync(".next/BUILD_ID", { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built > Math.max(...BUILD_INPUTS.map(newestMtime))) return;
  console.log("building the production app (next build) …");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed");
}

export interface AppServer {
  pid: number;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The Outbox Lens server as users run it (`npm start`: production build, custom server), in its
 * own process group, watching the stack whose env file is given. Its output goes to logFile.
 */
export async function startServer(options: { envFile: string; port: number; logFile: string; env?: Record<string, string>; nodeArgs?: string[] }): Promise<AppServer> {
  const url = `http://127.0.0.1:${options.port}`;
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const pid = spawnService({
    // node with tsx's loader rather than `npx tsx`: one process, whose flags (--cpu-prof …) apply to the server itself.
    command: process.execPath,
    args: [...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), "--import", "tsx", "server/index.ts"],
    cwd: process.cwd(),
    logFile: options.logFile,
    env: { ...process.env, ...options.env, NODE_ENV: "production", OUTBOX_LENS_ENV_FILE: options.envFile, PORT: String(options.port), HOST: "127.0.0.1" },
  });
  await waitUntil(
    async () => {
      if (!isAlive(pid)) throw new StackError("the Outbox Lens server exited", options.logFile);
      return (await fetch(`${url}/api/ready`)).ok;
    },
    { timeoutMs: SERVER_START_TIMEOUT_MS, what: `the server on ${url}`, logFile: options.logFile },
  );
  return { pid, url, logFile: options.logFile, stop: () => stopProcessGroup(pid, 10_000) };
}
