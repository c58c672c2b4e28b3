import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";
import { DEFAULT_OUTBOX_MAPPING, type OutboxTableMapping } from "@/server/outbox/mapping";

/**
 * The one place that reads process.env. Everything else receives an {@link AppConfig}.
 *
 * Sources, later ones winning: the dotenv file written by `npm run stack:up` (or the file named by
 * OUTBOX_LENS_ENV_FILE), then the real environment, so a single variable can be overridden on the
 * command line without editing the generated file.
 */

/** Written by `npm run stack:up`; read when present and OUTBOX_LENS_ENV_FILE is not set. */
export const DEFAULT_ENV_FILE = ".stack/env";

export interface AppConfig {
  nodeEnv: "development" | "production" | "test";
  http: {
    host: string;
    port: number;
    /** Extra browser origins allowed to open the socket, besides the server's own host. */
    allowedOrigins: string[];
  };
  postgres: {
    connectionString: string;
    /** host:port/database, safe to show and log (no credentials). */
    target: string;
    outboxTable: QualifiedTableName;
    /** Column names and status values of the outbox table (OUTBOX_COLUMNS, OUTBOX_STATUSES over the seed's). */
    mapping: OutboxTableMapping;
  };
  kafka: {
    brokers: string[];
    outboxTopic: string;
    processorGroupId: string;
    /** Topics a replay may write to besides the outbox topic. */
    replayTopics: string[];
  };
  connect: {
    /** REST base URL without a trailing slash. */
    url: string;
    connectorName: string;
  };
  health: {
    checkTimeoutMs: number;
    pollIntervalMs: number;
  };
  metrics: {
    /** Consumer groups to monitor; empty: the groups with committed offsets on the topic. */
    groups: string[];
    /** The replication slot Debezium reads; null: slot lag is not shown. */
    replicationSlot: string | null;
    /** How far back the live tail starts (0: at the end). */
    tailLookbackMs: number;
  };
  /** Name of the local stack that wrote the env file, if any; shown for orientation only. */
  stackName: string | null;
}

export interface QualifiedTableName {
  schema: string;
  table: string;
  /** "schema.table", as configured. */
  qualified: string;
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

/** A configuration that cannot run. Its message lists every bad variable and why, one per line. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], source?: string) {
    const where = source ? ` (from ${source} and the environment)` : "";
    const lines = issues.map((issue) => `  - ${issue.variable}: ${issue.message}`);
    super(`Invalid Outbox Lens configuration${where}:\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

// Bounds on the health timings. Below the minimums a check cannot complete a TCP handshake plus one
// request on a loaded machine and every component would flap to "down"; above the maximums the
// dashboard would show a state too old to act on.
const MIN_HEALTH_CHECK_TIMEOUT_MS = 100;
const MAX_HEALTH_CHECK_TIMEOUT_MS = 60_000;
// The poll interval's floor also bounds the socket broadcast rate, which follows each poll.
const MIN_HEALTH_POLL_INTERVAL_MS = 500;
const MAX_HEALTH_POLL_INTERVAL_MS = 300_000;

// Kafka's own limit on topic names (legal characters and 249 characters).
const KAFKA_TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
// Unquoted PostgreSQL identifiers. Quoted ones (mixed case, dots) are not supported on purpose:
// the name is passed to to_regclass() and shown in the UI, and unquoted names keep both simple.
const QUALIFIED_TABLE_PATTERN = /^([A-Za-z_][A-Za-z0-9_$]*)\.([A-Za-z_][A-Za-z0-9_$]*)$/;
const HOST_PORT_PATTERN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

function required(what: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? "is required" : `must be ${what}`) });
}

function integerInRange(name: string, min: number, max: number, fallback: number) {
  const message = `must be an integer from ${min} to ${max}${name ? ` (${name})` : ""}`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message))
    .default(fallback);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

const envSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"], { error: "must be development, production or test" })
    .default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: integerInRange("", 1, 65_535, 3000),
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of splitList(value ?? "")) {
        const url = parseUrl(entry);
        if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
          ctx.addIssue({ code: "custom", message: `entry "${entry}" is not an http(s) origin like https://ops.example.com` });
          continue;
        }
        origins.push(url.origin);
      }
      return origins;
    }),

  DATABASE_URL: required("a postgres:// URL").refine((value) => {
    const url = parseUrl(value);
    return url !== null && (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  }, "must be a postgres://user@host:port/database URL"),
  OUTBOX_TABLE: required("a schema-qualified table name").transform((value, ctx): QualifiedTableName => {
    const match = QUALIFIED_TABLE_PATTERN.exec(value);
    if (!match?.[1] || !match[2]) {
      ctx.addIssue({ code: "custom", message: "must be a schema-qualified table name like activity.event_outbox (unquoted identifiers)" });
      return z.NEVER;
    }
    return { schema: match[1], table: match[2], qualified: value };
  }),

  KAFKA_BROKERS: required("a comma-separated list of host:port").transform((value, ctx) => {
    const brokers = splitList(value);
    if (brokers.length === 0) {
      ctx.addIssue({ code: "custom", message: "must list at least one host:port" });
      return z.NEVER;
    }
    for (const broker of brokers) {
      const port = Number(HOST_PORT_PATTERN.exec(broker)?.[2]);
      if (!(port >= 1 && port <= 65_535)) {
        ctx.addIssue({ code: "custom", message: `entry "${broker}" is not host:port` });
      }
    }
    return brokers;
  }),
  OUTBOX_TOPIC: required("a Kafka topic name").regex(KAFKA_TOPIC_PATTERN, "must be a Kafka topic name (letters, digits, . _ -; at most 249 characters)"),
  PROCESSOR_GROUP_ID: required("a consumer group id").min(1, "is required"),
  REPLAY_TOPICS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const topics = splitList(value ?? "");
      for (const topic of topics) {
        if (!KAFKA_TOPIC_PATTERN.test(topic)) ctx.addIssue({ code: "custom", message: `entry "${topic}" is not a Kafka topic name` });
      }
      return topics;
    }),
  OUTBOX_COLUMNS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const columns: Record<string, string> = { ...DEFAULT_OUTBOX_MAPPING.columns };
      for (const [key, name] of pairs(value ?? "", ctx)) {
        if (!(key in columns)) ctx.addIssue({ code: "custom", message: `"${key}" is not a column role (one of ${Object.keys(columns).join(", ")})` });
        else if (!IDENTIFIER_PATTERN.test(name)) ctx.addIssue({ code: "custom", message: `"${name}" (for ${key}) is not a column name` });
        else columns[key] = name;
      }
      return columns as OutboxTableMapping["columns"];
    }),
  OUTBOX_STATUSES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const statuses: Record<string, string> = { ...DEFAULT_OUTBOX_MAPPING.statuses };
      for (const [key, status] of pairs(value ?? "", ctx)) {
        if (!(key in statuses)) ctx.addIssue({ code: "custom", message: `"${key}" is not a status (one of pending, processed, failed)` });
        else statuses[key] = status;
      }
      if (new Set(Object.values(statuses)).size !== 3) ctx.addIssue({ code: "custom", message: "pending, processed and failed must be three different values" });
      return statuses as OutboxTableMapping["statuses"];
    }),

  KAFKA_CONNECT_URL: required("an http(s) URL")
    .refine((value) => {
      const url = parseUrl(value);
      return url !== null && (url.protocol === "http:" || url.protocol === "https:");
    }, "must be an http(s) URL like http://127.0.0.1:8083")
    .transform((value) => value.replace(/\/+$/, "")),
  KAFKA_CONNECTOR_NAME: required("a connector name").min(1, "is required"),

  HEALTH_CHECK_TIMEOUT_MS: integerInRange("milliseconds", MIN_HEALTH_CHECK_TIMEOUT_MS, MAX_HEALTH_CHECK_TIMEOUT_MS, 2000),
  HEALTH_POLL_INTERVAL_MS: integerInRange("milliseconds", MIN_HEALTH_POLL_INTERVAL_MS, MAX_HEALTH_POLL_INTERVAL_MS, 2000),

  MONITORED_GROUPS: z
    .string()
    .optional()
    .transform((value) => splitList(value ?? "")),
  REPLICATION_SLOT: z
    .string()
    .regex(/^[a-z0-9_]{1,63}$/, "must be a replication slot name (lower-case letters, digits, _; at most 63)")
    .optional(),
  TAIL_LOOKBACK_MS: integerInRange("milliseconds", 0, 24 * 60 * 60 * 1000, 0),

  STACK_NAME: z.string().optional(),
});

// Column names in OUTBOX_COLUMNS: any identifier PostgreSQL accepts unquoted or quoted, without
// control characters; they are quoted when used (server/outbox/mapping.ts).
const IDENTIFIER_PATTERN = /^[^\x00-\x1f"]{1,63}$/;

/** `key=value,key=value` entries; an entry without `=` is reported. */
function pairs(value: string, ctx: z.RefinementCtx): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (const entry of splitList(value)) {
    const at = entry.indexOf("=");
    if (at <= 0 || at === entry.length - 1) {
      ctx.addIssue({ code: "custom", message: `entry "${entry}" is not key=value` });
      continue;
    }
    result.push([entry.slice(0, at).trim(), entry.slice(at + 1).trim()]);
  }
  return result;
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** host:port/database of a connection string, for display; the password never leaves this function. */
export function describePostgresTarget(connectionString: string): string {
  const url = parseUrl(connectionString);
  if (!url) return "(invalid DATABASE_URL)";
  const port = url.port || "5432";
  return `${url.hostname}:${port}${url.pathname || "/"}`;
}

/**
 * Validates a flat variable map into an {@link AppConfig}. Pure: the caller decides where the map
 * comes from. Empty values count as unset (a dotenv line `PORT=` means "use the default").
 *
 * @throws {ConfigError} naming every invalid or missing variable.
 */
export function loadConfig(env: Record<string, string | undefined>, source?: string): AppConfig {
  const normalized: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key]?.trim();
    if (value) normalized[key] = value;
  }

  const parsed = envSchema.safeParse(normalized);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "(environment)"),
      message: issue.message,
    }));
    throw new ConfigError(issues, source);
  }

  const v = parsed.data;
  return {
    nodeEnv: v.NODE_ENV,
    http: { host: v.HOST, port: v.PORT, allowedOrigins: v.ALLOWED_ORIGINS },
    postgres: {
      connectionString: v.DATABASE_URL,
      target: describePostgresTarget(v.DATABASE_URL),
      outboxTable: v.OUTBOX_TABLE,
      mapping: { columns: v.OUTBOX_COLUMNS, statuses: v.OUTBOX_STATUSES },
    },
    kafka: { brokers: v.KAFKA_BROKERS, outboxTopic: v.OUTBOX_TOPIC, processorGroupId: v.PROCESSOR_GROUP_ID, replayTopics: v.REPLAY_TOPICS },
    connect: { url: v.KAFKA_CONNECT_URL, connectorName: v.KAFKA_CONNECTOR_NAME },
    health: { checkTimeoutMs: v.HEALTH_CHECK_TIMEOUT_MS, pollIntervalMs: v.HEALTH_POLL_INTERVAL_MS },
    metrics: { groups: v.MONITORED_GROUPS, replicationSlot: v.REPLICATION_SLOT ?? null, tailLookbackMs: v.TAIL_LOOKBACK_MS },
    stackName: v.STACK_NAME ?? null,
  };
}

export interface EnvironmentSources {
  /** The merged variables: env file first, real environment over it. */
  env: Record<string, string | undefined>;
  /** Path of the env file that was read, if any. */
  envFile: string | null;
}

/**
 * Merges the env file and the real environment. The file is OUTBOX_LENS_ENV_FILE when set (and then
 * it must exist: a typo should not silently fall back to other settings), else `.stack/env` when
 * present, else none.
 *
 * @throws {ConfigError} when OUTBOX_LENS_ENV_FILE names a file that cannot be read.
 */
export function readEnvironment(processEnv: Record<string, string | undefined> = process.env, cwd: string = process.cwd()): EnvironmentSources {
  const explicit = processEnv.OUTBOX_LENS_ENV_FILE?.trim();
  const envFile = explicit ? resolve(cwd, explicit) : resolve(cwd, DEFAULT_ENV_FILE);
  if (!explicit && !existsSync(envFile)) return { env: { ...processEnv }, envFile: null };

  let content: string;
  try {
    content = readFileSync(envFile, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})`;
    throw new ConfigError([{ variable: "OUTBOX_LENS_ENV_FILE", message: `${envFile} ${reason}` }]);
  }
  return { env: { ...parseEnv(content), ...processEnv }, envFile };
}

/** The configuration of this process: {@link readEnvironment} then {@link loadConfig}. */
export function readConfig(): AppConfig {
  const { env, envFile } = readEnvironment();
  return loadConfig(env, envFile ?? undefined);
}
