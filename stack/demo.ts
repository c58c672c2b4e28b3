// npm run demo: the local pipeline (started when not running), a steady workload, the event
// processor and the dashboard on http://localhost:3000. Ctrl-C stops the workload and the dashboard,
// and the stack too when the demo started it.
//   --rate N   events per second of the workload (default 20)
//   --dev      run the dashboard in development mode instead of building it
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROLES } from "@/lib/auth/roles";
import { readStackCredentials } from "./auth";
import { stackConfig, stackEnv } from "./config";
import { SERVER_NODE_FLAGS } from "./lib/server-flags";
import { down, inspect, up } from "./lifecycle";
import { StackError, waitUntil } from "./lib/proc";

// The production build is ready to serve in a couple of seconds; a first dev compile takes longer.
const DASHBOARD_START_TIMEOUT_MS = 120_000;
const SOURCE_DIRS = ["app", "components", "lib", "server"];

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when .next holds a production build newer than every source file. */
function buildIsFresh(root: string): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return false;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCE_DIRS.every((dir) => newestMtime(path.join(root, dir)) < built);
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcess {
  return spawn(command, args, { cwd, env, stdio: "inherit" });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: "string", default: "20" }, dev: { type: "boolean", default: false } } });
  const config = stackConfig({ profile: "demo" });
  const root = config.root;
  const startedStack = !(await inspect(config)).healthy;
  if (startedStack) {
    console.log("starting the local pipeline (PostgreSQL, Kafka, Kafka Connect + Debezium, event processor)…");
    const result = await up(config);
    console.log(`pipeline ready in ${(result.readyMs / 1000).toFixed(1)} s`);
  } else {
    console.log("the local pipeline is already running");
  }
  const env = { ...process.env, ...stackEnv(config), OUTBOX_LENS_ENV_FILE: config.envFile };
  const tsx = path.join(root, "node_modules", ".bin", "tsx");

  if (!values.dev && !buildIsFresh(root)) {
    console.log("building the dashboard (next build)…");
    const code = await exited(start(path.join(root, "node_modules", ".bin", "next"), ["build"], env, root));
    if (code !== 0) {
      if (startedStack) await down(config);
      throw new StackError("next build failed");
    }
  }

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the demo…");
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(children.map(exited));
    if (startedStack) await down(config);
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  const dashboard = start(tsx, [...SERVER_NODE_FLAGS, path.join(root, "server", "index.ts")], { ...env, NODE_ENV: values.dev ? "development" : "production" }, root);
  children.push(dashboard);
  const workload = start(tsx, [path.join(root, "stack", "workload.ts"), "--rate", values.rate ?? "20"], env, root);
  children.push(workload);
  for (const child of children) child.once("exit", (code) => !stopping && void stopAll(code ?? 1));

  const url = `http://localhost:${config.ports.app}`;
  await waitUntil(
    async () => {
      // Any answer (even 503 while a component is down) means the dashboard serves.
      await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      return true;
    },
    { timeoutMs: DASHBOARD_START_TIMEOUT_MS, intervalMs: 500, what: `the dashboard on ${url}` },
  );
  const credentials = readStackCredentials(config);
  const signIn = credentials
    ? ROLES.map((role) => `\n  sign in      ${credentials.users[role].username.padEnd(9)} ${credentials.users[role].password}`).join("") +
      `\n  API tokens   OUTBOX_LENS_VIEWER_TOKEN, …_OPERATOR_TOKEN, …_ADMIN_TOKEN in ${config.envFile}`
    : "";
  console.log(`
Outbox Lens is running: ${url}${signIn}
  workload     ${values.rate} events/s into ${config.schema}.${config.table}
  processor    consumer group ${config.processorGroupId}
  health       ${url}/api/health
  stack        npm run stack:status · npm run stack:logs
Ctrl-C stops the demo${startedStack ? " and the stack" : " (the stack keeps running)"}.`);
}

main().catch(async (error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
});
