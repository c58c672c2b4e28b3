// After a suite has stopped its stack: nothing of it may be left. Fails (exit 1), naming each
// leftover, when a process of the stack still runs, one of its ports still accepts connections,
// or its state directory still holds a running PostgreSQL (and so a replication slot).
//   tsx stack/hygiene.ts --profile faults
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { PROFILES, stackConfig, type Profile } from "./config";
import { portAccepts } from "./lib/proc";

/** Whether a process's environment points a dashboard server at the stack (OUTBOX_LENS_ENV_FILE inside its directory). */
function watchesStack(pid: string, stackDir: string): boolean {
  try {
    const envFile = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").find((entry) => entry.startsWith("OUTBOX_LENS_ENV_FILE="));
    return envFile !== undefined && path.resolve(envFile.slice("OUTBOX_LENS_ENV_FILE=".length)).startsWith(`${stackDir}/`);
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { profile: { type: "string", default: "faults" } } });
  if (!PROFILES.includes(values.profile as Profile)) throw new Error(`--profile must be one of ${PROFILES.join(", ")}`);
  const config = stackConfig({ profile: values.profile as Profile });
  const leftovers: string[] = [];
  // Any process whose command line names the stack's directory (Kafka, Connect, PostgreSQL, the
  // processor), or whose environment points a dashboard server at it (the suites start more than one).
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline = "";
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue;
    }
    if (cmdline.includes("stack/hygiene.ts")) continue;
    if (cmdline.includes(config.dir)) leftovers.push(`process ${entry}: ${cmdline.slice(0, 160)}`);
    else if (watchesStack(entry, config.dir)) leftovers.push(`process ${entry} (an Outbox Lens server of this stack): ${cmdline.slice(0, 160)}`);
  }
  const ports = [config.ports.postgres, ...config.ports.kafka, ...config.ports.controller, config.ports.connect, config.ports.app];
  for (const port of ports) if (await portAccepts(port)) leftovers.push(`port ${port} still accepts connections`);
  if (fs.existsSync(`${config.dir}/pg/data/postmaster.pid`)) leftovers.push(`${config.dir}/pg/data/postmaster.pid exists (PostgreSQL, and its replication slot, may still run)`);
  if (leftovers.length > 0) {
    console.error(`the ${config.profile} stack left things behind:\n  ${leftovers.join("\n  ")}`);
    return 1;
  }
  console.log(`the ${config.profile} stack left nothing behind (processes, ${ports.length} ports, PostgreSQL)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`hygiene: ${(error as Error).message}`);
    process.exit(1);
  },
);
