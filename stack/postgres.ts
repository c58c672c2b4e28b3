// The stack's PostgreSQL: a throwaway cluster with logical replication on, made with the machine's
// server binaries, or an existing server given by STACK_DATABASE_URL.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { databaseUrl, type StackConfig } from "./config";
import { run, StackError, waitUntil } from "./lib/proc";
import type { Toolchain } from "./lib/prereqs";

const SCHEMA_SQL = path.join(import.meta.dirname, "sql", "outbox.sql");
// initdb plus the first start take a few seconds; crash recovery of a big WAL can take longer.
const PG_START_TIMEOUT_S = 60;

export function pgDataDir(config: StackConfig): string {
  return path.join(config.dir, "pg", "data");
}

export function pgLogFile(config: StackConfig): string {
  return path.join(config.dir, "pg", "postgres.log");
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** initdb and the postmaster refuse to run as root: as root, run them as the postgres user. */
function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) {
    throw new StackError(
      "running as root, but there is no 'postgres' user to run PostgreSQL as (initdb refuses root). " +
        "Create one (useradd -r postgres) or run the stack as an ordinary user.",
    );
  }
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function pgCtl(toolchain: Toolchain): string {
  if (!toolchain.pgBin) throw new StackError("no PostgreSQL binaries (external database in use)");
  return path.join(toolchain.pgBin, "pg_ctl");
}

function postgresOptions(config: StackConfig): string {
  return [
    `-p ${config.ports.postgres}`,
    "-c listen_addresses=127.0.0.1",
    // No Unix socket: its path length is limited (107 bytes) and deep checkouts exceed it.
    "-c unix_socket_directories=''",
    "-c wal_level=logical",
    "-c max_replication_slots=10",
    "-c max_wal_senders=10",
    "-c max_connections=100",
    "-c shared_buffers=128MB",
    // Keeps a dead Connect worker's slot from filling the disk of a laptop.
    "-c max_slot_wal_keep_size=2GB",
  ].join(" ");
}

export async function startPostgres(config: StackConfig, toolchain: Toolchain): Promise<void> {
  if (config.externalDatabaseUrl) {
    await checkExternal(config.externalDatabaseUrl);
  } else {
    const as = postgresUser();
    const pgDir = path.join(config.dir, "pg");
    const dataDir = pgDataDir(config);
    fs.mkdirSync(pgDir, { recursive: true });
    if (as.uid !== undefined) fs.chownSync(pgDir, as.uid, as.gid ?? as.uid);
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      run(
        path.join(toolchain.pgBin!, "initdb"),
        ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
        { ...as, what: `initdb in ${dataDir}` },
      );
    }
    try {
      run(
        pgCtl(toolchain),
        ["start", "-w", "-t", String(PG_START_TIMEOUT_S), "-D", dataDir, "-l", pgLogFile(config), "-o", postgresOptions(config)],
        { ...as, what: `starting PostgreSQL on port ${config.ports.postgres}` },
      );
    } catch (error) {
      throw new StackError((error as Error).message, pgLogFile(config));
    }
    await createDatabase(config);
  }
  await applySchema(config);
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(config: StackConfig): Promise<void> {
  const adminUrl = `postgres://postgres@127.0.0.1:${config.ports.postgres}/postgres`;
  await waitUntil(() => withClient(adminUrl, async () => true), {
    timeoutMs: 15_000,
    what: "PostgreSQL to accept connections",
    logFile: pgLogFile(config),
  });
  await withClient(adminUrl, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [config.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${config.database}`);
  });
}

async function checkExternal(url: string): Promise<void> {
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ wal_level: string }>("SHOW wal_level");
    if (rows[0]?.wal_level !== "logical") {
      throw new StackError(
        `STACK_DATABASE_URL points at a server with wal_level=${rows[0]?.wal_level}; Debezium needs wal_level=logical ` +
          "(set it in postgresql.conf and restart that server).",
      );
    }
  });
}

async function applySchema(config: StackConfig): Promise<void> {
  const sql = fs.readFileSync(SCHEMA_SQL, "utf8");
  await withClient(databaseUrl(config), (client) => client.query(sql));
}

export async function postgresIsReady(config: StackConfig): Promise<boolean> {
  try {
    return await withClient(databaseUrl(config), async (client) => {
      await client.query("SELECT 1");
      return true;
    });
  } catch {
    return false;
  }
}

export interface SlotState {
  slotName: string;
  active: boolean;
  lagBytes: number | null;
}

export async function replicationSlot(config: StackConfig): Promise<SlotState | undefined> {
  return withClient(databaseUrl(config), async (client) => {
    const { rows } = await client.query<{ active: boolean; lag: string | null }>(
      `SELECT active, pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint AS lag
         FROM pg_replication_slots WHERE slot_name = $1`,
      [config.slotName],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { slotName: config.slotName, active: row.active, lagBytes: row.lag === null ? null : Number(row.lag) };
  });
}

/** Drops the stack's slot and publication (after Connect has stopped, so the slot is inactive). */
export async function dropReplication(config: StackConfig): Promise<void> {
  await withClient(databaseUrl(config), async (client) => {
    // An inactive slot can be dropped at once; an active one belongs to a Connect worker that did
    // not stop: terminate its walsender first.
    await client.query(
      `SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL`,
      [config.slotName],
    );
    await waitUntil(
      async () => {
        const { rows } = await client.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active", [config.slotName]);
        return rows.length === 0;
      },
      { timeoutMs: 10_000, what: `replication slot ${config.slotName} to become inactive` },
    );
    await client.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [config.slotName]);
    await client.query(`DROP PUBLICATION IF EXISTS ${config.publicationName}`);
  });
}

export async function stopPostgres(config: StackConfig, toolchain: Pick<Toolchain, "pgBin">): Promise<void> {
  if (config.externalDatabaseUrl) return;
  const dataDir = pgDataDir(config);
  if (!fs.existsSync(path.join(dataDir, "postmaster.pid"))) return;
  const pgBin = toolchain.pgBin;
  if (!pgBin) return;
  run(path.join(pgBin, "pg_ctl"), ["stop", "-w", "-t", "30", "-m", "fast", "-D", dataDir], {
    ...postgresUser(),
    what: "stopping PostgreSQL",
  });
}

/** The postmaster's pid from its pid file, when the cluster is running. */
export function postmasterPid(config: StackConfig): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(pgDataDir(config), "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Restarts the cluster (fast shutdown: open connections are cut), as an operator or a crash-restart would. */
export function restartPostgres(config: StackConfig, toolchain: Pick<Toolchain, "pgBin">): void {
  if (config.externalDatabaseUrl || !toolchain.pgBin) throw new StackError("the stack does not run this PostgreSQL: it cannot restart it");
  run(path.join(toolchain.pgBin, "pg_ctl"), ["restart", "-w", "-t", String(PG_START_TIMEOUT_S), "-m", "fast", "-D", pgDataDir(config), "-l", pgLogFile(config), "-o", postgresOptions(config)], {
    ...postgresUser(),
    what: "restarting PostgreSQL",
  });
}
