// npm run stack:up | stack:down | stack:status | stack:logs | stack:processor, and
// `tsx stack/cli.ts run [--profile test] -- <command>` which runs a command against a stack it
// starts (and stops again) when none is running.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { PROFILES, stackConfig, stackEnv, type Profile, type StackConfig } from "./config";
import { down, inspect, logFiles, up } from "./lifecycle";
import { findToolchain } from "./lib/prereqs";
import { StackError } from "./lib/proc";
import { processorCommand } from "./processor";

const USAGE = `usage: tsx stack/cli.ts <up|down|status|logs|processor|run> [--profile demo|test] [--brokers 1|3]
  up         start PostgreSQL, Kafka, Kafka Connect + Debezium and the event processor
  down       stop everything, drop the replication slot, remove the stack's data (logs stay)
  status     show what runs (exit 1 when something is down)
  logs       print the services' logs (-f to follow; name a service to see only its log)
  processor  run one more event-processor instance in the foreground (joins the same group)
  run        run a command after --, starting the stack first when it is not running`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      profile: { type: "string", default: "demo" },
      brokers: { type: "string" },
      follow: { type: "boolean", short: "f", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!PROFILES.includes(values.profile as Profile)) throw new StackError(`--profile must be one of ${PROFILES.join(", ")}`);
  const brokers = values.brokers === undefined ? undefined : Number(values.brokers);
  if (brokers !== undefined && brokers !== 1 && brokers !== 3) throw new StackError("--brokers must be 1 or 3");
  const config = stackConfig({ profile: values.profile as Profile, brokers });

  switch (command) {
    case "up":
      return commandUp(config);
    case "down":
      console.log(`stopping the ${config.profile} stack in ${config.dir}`);
      await down(config);
      console.log("stopped; no process or replication slot left");
      return 0;
    case "status":
      return commandStatus(config);
    case "logs":
      return commandLogs(config, rest, values.follow ?? false);
    case "processor":
      return commandProcessor(config);
    case "run":
      return commandRun(config, rest);
    default:
      console.error(USAGE);
      return 2;
  }
}

async function commandUp(config: StackConfig): Promise<number> {
  console.log(`starting the ${config.profile} stack (${config.brokers} broker${config.brokers > 1 ? "s" : ""}) in ${config.dir}`);
  const result = await up(config);
  if (result.alreadyRunning) {
    console.log(`already running; environment in ${result.envFile}`);
  } else {
    console.log(`pipeline ready in ${(result.readyMs / 1000).toFixed(1)} s; environment in ${result.envFile}`);
  }
  for (const [key, value] of Object.entries(stackEnv(config))) console.log(`  ${key}=${value}`);
  return 0;
}

async function commandStatus(config: StackConfig): Promise<number> {
  const { state, services, healthy } = await inspect(config);
  if (!state) {
    console.log(`no ${config.profile} stack in ${config.dir} (npm run stack:up starts one)`);
    return 1;
  }
  console.log(`${config.profile} stack, started ${state.startedAt}, ready in ${(state.readyMs / 1000).toFixed(1)} s`);
  for (const s of services) {
    console.log(`  ${s.alive ? "up  " : "DOWN"}  ${s.name.padEnd(20)} ${s.pid ? `pid ${s.pid}` : ""}${s.detail ? `  ${s.detail}` : ""}`);
  }
  return healthy ? 0 : 1;
}

function commandLogs(config: StackConfig, names: string[], follow: boolean): Promise<number> {
  const files = Object.entries(logFiles(config))
    .filter(([name]) => names.length === 0 || names.includes(name))
    .map(([, file]) => file)
    .filter((file) => fs.existsSync(file));
  if (files.length === 0) {
    console.log(`no logs in ${config.dir}/logs`);
    return Promise.resolve(1);
  }
  return runChild("tail", ["-n", "60", ...(follow ? ["-F"] : []), ...files], process.env);
}

function commandProcessor(config: StackConfig): Promise<number> {
  const { command, args, env } = processorCommand(config, findToolchain(config));
  return runChild(command, args, env);
}

async function commandRun(config: StackConfig, commandLine: string[]): Promise<number> {
  if (commandLine.length === 0) throw new StackError("run needs a command after --");
  const before = await inspect(config);
  const startedHere = !before.healthy;
  if (startedHere) await commandUp(config);
  const env = { ...process.env, ...stackEnv(config), OUTBOX_LENS_ENV_FILE: config.envFile };
  let code = 1;
  try {
    code = await runChild(commandLine[0]!, commandLine.slice(1), env);
  } finally {
    if (startedHere) {
      console.log(`stopping the ${config.profile} stack`);
      await down(config);
    }
  }
  return code;
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    // Ctrl-C reaches the child through the terminal; we wait for it to finish, then clean up.
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      resolve(code ?? (signal ? 128 + 1 : 1));
    });
    child.on("error", (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackError) {
      console.error(`\nstack: ${error.message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
