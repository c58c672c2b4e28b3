import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, describePostgresTarget, loadConfig, readEnvironment } from "./env";
import { DEFAULT_OUTBOX_MAPPING } from "./outbox/mapping";

/** What `npm run stack:up` writes for the demo stack. */
const stackEnv = {
  DATABASE_URL: "postgres://postgres@127.0.0.1:5433/activity",
  KAFKA_BROKERS: "127.0.0.1:9092",
  KAFKA_CONNECT_URL: "http://127.0.0.1:8083",
  KAFKA_CONNECTOR_NAME: "outbox-connector",
  OUTBOX_TOPIC: "postgres.activity.event_outbox",
  OUTBOX_TABLE: "activity.event_outbox",
  PROCESSOR_GROUP_ID: "activity-event-processor",
  REPLICATION_SLOT: "outbox_lens_demo",
  STACK_NAME: "demo",
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("accepts the stack's env file and fills in defaults", () => {
    const config = loadConfig(stackEnv);
    expect(config).toEqual({
      nodeEnv: "development",
      http: { host: "127.0.0.1", port: 3000, allowedOrigins: [] },
      postgres: {
        connectionString: "postgres://postgres@127.0.0.1:5433/activity",
        target: "127.0.0.1:5433/activity",
        outboxTable: { schema: "activity", table: "event_outbox", qualified: "activity.event_outbox" },
        mapping: DEFAULT_OUTBOX_MAPPING,
      },
      kafka: { brokers: ["127.0.0.1:9092"], outboxTopic: "postgres.activity.event_outbox", processorGroupId: "activity-event-processor", replayTopics: [] },
      connect: { url: "http://127.0.0.1:8083", connectorName: "outbox-connector" },
      health: { checkTimeoutMs: 2000, pollIntervalMs: 2000 },
      metrics: { groups: [], replicationSlot: "outbox_lens_demo", tailLookbackMs: 0 },
      stackName: "demo",
    });
  });

  it("reads the monitored groups as a list and names a bad replication slot", () => {
    expect(loadConfig({ ...stackEnv, MONITORED_GROUPS: " billing , search-indexer," }).metrics.groups).toEqual(["billing", "search-indexer"]);
    const error = configError({ ...stackEnv, REPLICATION_SLOT: "Bad-Slot" });
    expect(error.issues.map((i) => i.variable)).toEqual(["REPLICATION_SLOT"]);
    expect(configError({ ...stackEnv, TAIL_LOOKBACK_MS: "-5" }).message).toMatch(/TAIL_LOOKBACK_MS/);
  });

  it("maps a table whose columns and statuses differ, and names what is wrong in a mapping", () => {
    const config = loadConfig({ ...stackEnv, OUTBOX_COLUMNS: "eventId=id, status=state,payload=body", OUTBOX_STATUSES: "pending=NEW,processed=DONE,failed=ERROR", REPLAY_TOPICS: "replays,dlq.retry" });
    expect(config.postgres.mapping.columns).toMatchObject({ eventId: "id", status: "state", payload: "body", sequence: "sequence_id" });
    expect(config.postgres.mapping.statuses).toEqual({ pending: "NEW", processed: "DONE", failed: "ERROR" });
    expect(config.kafka.replayTopics).toEqual(["replays", "dlq.retry"]);
    expect(configError({ ...stackEnv, OUTBOX_COLUMNS: "eventid=id" }).message).toMatch(/OUTBOX_COLUMNS: "eventid" is not a column role/);
    expect(configError({ ...stackEnv, OUTBOX_COLUMNS: "status" }).message).toMatch(/OUTBOX_COLUMNS: entry "status" is not key=value/);
    expect(configError({ ...stackEnv, OUTBOX_STATUSES: "failed=pending" }).message).toMatch(/three different values/);
    expect(configError({ ...stackEnv, REPLAY_TOPICS: "bad topic" }).message).toMatch(/REPLAY_TOPICS: entry "bad topic"/);
  });

  it("parses overrides: several brokers, port, timings, origins, trailing slash on the Connect URL", () => {
    const config = loadConfig({
      ...stackEnv,
      KAFKA_BROKERS: " 127.0.0.1:19092, kafka-2:19093 ,",
      KAFKA_CONNECT_URL: "http://127.0.0.1:18083/",
      PORT: "13000",
      HOST: "0.0.0.0",
      NODE_ENV: "production",
      HEALTH_CHECK_TIMEOUT_MS: "750",
      HEALTH_POLL_INTERVAL_MS: "5000",
      ALLOWED_ORIGINS: "https://ops.example.com/, http://10.0.0.5:3000",
    });
    expect(config.kafka.brokers).toEqual(["127.0.0.1:19092", "kafka-2:19093"]);
    expect(config.connect.url).toBe("http://127.0.0.1:18083");
    expect(config.http).toEqual({ host: "0.0.0.0", port: 13000, allowedOrigins: ["https://ops.example.com", "http://10.0.0.5:3000"] });
    expect(config.nodeEnv).toBe("production");
    expect(config.health).toEqual({ checkTimeoutMs: 750, pollIntervalMs: 5000 });
  });

  it("treats empty values as unset, so defaults apply", () => {
    const config = loadConfig({ ...stackEnv, PORT: "", HEALTH_POLL_INTERVAL_MS: "  ", STACK_NAME: "" });
    expect(config.http.port).toBe(3000);
    expect(config.health.pollIntervalMs).toBe(2000);
    expect(config.stackName).toBeNull();
  });

  it("names every missing variable in one error", () => {
    const error = configError({});
    const variables = error.issues.map((issue) => issue.variable).sort();
    expect(variables).toEqual([
      "DATABASE_URL",
      "KAFKA_BROKERS",
      "KAFKA_CONNECTOR_NAME",
      "KAFKA_CONNECT_URL",
      "OUTBOX_TABLE",
      "OUTBOX_TOPIC",
      "PROCESSOR_GROUP_ID",
    ]);
    expect(error.message).toContain("DATABASE_URL: is required");
    expect(error.message).toContain("KAFKA_CONNECTOR_NAME: is required");
  });

  it("says why each malformed value is wrong", () => {
    const error = configError({
      ...stackEnv,
      DATABASE_URL: "mysql://root@localhost/activity",
      KAFKA_BROKERS: "127.0.0.1:9092,kafka-without-port",
      KAFKA_CONNECT_URL: "127.0.0.1:8083",
      OUTBOX_TOPIC: "bad topic!",
      OUTBOX_TABLE: "event_outbox",
      PORT: "http",
      HEALTH_CHECK_TIMEOUT_MS: "5",
      HEALTH_POLL_INTERVAL_MS: "-1",
      NODE_ENV: "staging",
      ALLOWED_ORIGINS: "ftp://files.example.com",
    });
    const byVariable = Object.fromEntries(error.issues.map((issue) => [issue.variable, issue.message]));
    expect(byVariable).toEqual({
      DATABASE_URL: "must be a postgres://user@host:port/database URL",
      KAFKA_BROKERS: 'entry "kafka-without-port" is not host:port',
      KAFKA_CONNECT_URL: "must be an http(s) URL like http://127.0.0.1:8083",
      OUTBOX_TOPIC: "must be a Kafka topic name (letters, digits, . _ -; at most 249 characters)",
      OUTBOX_TABLE: "must be a schema-qualified table name like activity.event_outbox (unquoted identifiers)",
      PORT: "must be an integer from 1 to 65535",
      HEALTH_CHECK_TIMEOUT_MS: "must be an integer from 100 to 60000 (milliseconds)",
      HEALTH_POLL_INTERVAL_MS: "must be an integer from 500 to 300000 (milliseconds)",
      NODE_ENV: "must be development, production or test",
      ALLOWED_ORIGINS: 'entry "ftp://files.example.com" is not an http(s) origin like https://ops.example.com',
    });
  });

  it("never echoes a value, so a password in DATABASE_URL cannot end up in a log", () => {
    const error = configError({ ...stackEnv, DATABASE_URL: "mysql://admin:s3cret@db/activity" });
    expect(error.message).not.toContain("s3cret");
  });

  it("names the env file it read in the message", () => {
    expect(() => loadConfig({}, "/srv/lens/.stack/env")).toThrow(/from \/srv\/lens\/\.stack\/env and the environment/);
  });
});

describe("describePostgresTarget", () => {
  it("keeps host, port and database and drops credentials", () => {
    expect(describePostgresTarget("postgres://lens:secret@db.internal:6543/activity?sslmode=require")).toBe("db.internal:6543/activity");
    expect(describePostgresTarget("postgresql://db/activity")).toBe("db:5432/activity");
  });
});

describe("readEnvironment", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function projectDir(files: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), "outbox-lens-env-"));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return dir;
  }

  it("reads .stack/env by default and lets the real environment override it", () => {
    const cwd = projectDir({});
    mkdirSync(join(cwd, ".stack"));
    writeFileSync(join(cwd, ".stack", "env"), "PORT=4000\nKAFKA_BROKERS=127.0.0.1:9092\n# comment\nSTACK_NAME='demo'\n");
    const { env, envFile } = readEnvironment({ PORT: "5000" }, cwd);
    expect(envFile).toBe(join(cwd, ".stack/env"));
    expect(env.PORT).toBe("5000");
    expect(env.KAFKA_BROKERS).toBe("127.0.0.1:9092");
    expect(env.STACK_NAME).toBe("demo");
  });

  it("uses only the real environment when there is no default file", () => {
    const cwd = projectDir({});
    expect(readEnvironment({ PORT: "5000" }, cwd)).toEqual({ env: { PORT: "5000" }, envFile: null });
  });

  it("reads the file named by OUTBOX_LENS_ENV_FILE, relative to the working directory", () => {
    const cwd = projectDir({ "test.env": "PORT=13000\n" });
    const { env } = readEnvironment({ OUTBOX_LENS_ENV_FILE: "test.env" }, cwd);
    expect(env.PORT).toBe("13000");
  });

  it("fails when OUTBOX_LENS_ENV_FILE names a missing file instead of silently using other settings", () => {
    const cwd = projectDir({});
    expect(() => readEnvironment({ OUTBOX_LENS_ENV_FILE: ".stack-test/env" }, cwd)).toThrow(ConfigError);
    expect(() => readEnvironment({ OUTBOX_LENS_ENV_FILE: ".stack-test/env" }, cwd)).toThrow(/OUTBOX_LENS_ENV_FILE: .*\.stack-test\/env does not exist/);
  });
});

