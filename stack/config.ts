// Configuration of the local pipeline: which profile, which ports, where its state lives.
// Profiles keep the test suite and the benchmarks from colliding with a running demo: "demo" keeps its
// state in .stack/ on the usual ports, "test" in .stack-test/ on ports shifted by 10,000, "bench" in
// .stack-bench/ on ports shifted by 20,000, "faults" (the reliability suite, which stops and kills
// services) in .stack-faults/ on ports shifted by 12,000, "soak" (the long-running soak benchmark,
// which holds its stack for half an hour) in .stack-soak/ on ports shifted by 14,000, "cluster" (the
// reliability scenario of a three-broker cluster losing a broker) in .stack-cluster/ on ports
// shifted by 16,000, with three brokers unless told otherwise.
// Every profile's ports stay below 32768, where Linux's ephemeral ports begin
// (net.ipv4.ip_local_port_range): faults once used 39092, and its stack failed to start because
// an outgoing connection of the test stack shutting down held that port as its local end. Any
// port a stack restarts a service on (the fault scenarios restart brokers) has the same exposure.
// The shifts are multiples of 1,000 that no two of a stack's ports differ by, so no two profiles
// share a port.
// Every port can still be set on its own through STACK_* variables.
import path from "node:path";
import { z } from "zod";

export const PROFILES = ["demo", "test", "bench", "faults", "soak", "cluster"] as const;
export type Profile = (typeof PROFILES)[number];

const PORT_SHIFT: Record<Profile, number> = { demo: 0, test: 10_000, bench: 20_000, faults: 12_000, soak: 14_000, cluster: 16_000 };
// Brokers of a profile's stack when neither --brokers nor STACK_BROKERS says: the cluster profile
// exists to lose one broker of three; `down` and the hygiene check must then know all three.
const DEFAULT_BROKERS: Partial<Record<Profile, number>> = { cluster: 3 };

const port = z.coerce.number().int().min(1024).max(65_535);

const stackEnvSchema = z.object({
  STACK_DIR: z.string().min(1).optional(),
  STACK_PG_PORT: port.optional(),
  STACK_KAFKA_PORT: port.optional(),
  STACK_KAFKA_CONTROLLER_PORT: port.optional(),
  STACK_CONNECT_PORT: port.optional(),
  STACK_APP_PORT: port.optional(),
  STACK_DATABASE_URL: z.string().url().optional(),
  STACK_PG_BIN: z.string().min(1).optional(),
  STACK_BROKERS: z.coerce.number().int().refine((n) => n === 1 || n === 3, "must be 1 or 3").optional(),
  STACK_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(64).optional(),
  // Each JVM's maximum heap. 512 MB keeps three JVMs plus PostgreSQL, Node and Chromium inside a
  // small laptop or a 2-core CI machine; Kafka and Connect run comfortably in it at thousands of events/s.
  STACK_JVM_HEAP_MB: z.coerce.number().int().min(128).max(8192).optional(),
  STACK_PROCESSOR: z.enum(["on", "off"]).optional(),
  OUTBOX_TOPIC: z.string().min(1).optional(),
  PROCESSOR_FAILURE_RATE: z.coerce.number().min(0).max(1).optional(),
  PROCESSOR_HANDLING_MS: z.coerce.number().min(0).max(60_000).optional(),
});

export interface StackConfig {
  profile: Profile;
  root: string;
  dir: string;
  envFile: string;
  brokers: number;
  ports: { postgres: number; kafka: number[]; controller: number[]; connect: number; app: number };
  /** Set when the user brings an existing PostgreSQL with logical replication on. */
  externalDatabaseUrl?: string;
  pgBin?: string;
  database: string;
  schema: string;
  table: string;
  topic: string;
  /**
   * A topic replays may go to besides the outbox topic (REPLAY_TOPICS), in the demo (to try it) and
   * test stacks (to test it); null in the others, whose scenarios watch the outbox topic alone.
   */
  replayTopic: string | null;
  topicPartitions: number;
  connectorName: string;
  slotName: string;
  publicationName: string;
  processorGroupId: string;
  jvmHeapMb: number;
  processor: boolean;
  /** Share of events the processor fails at random; 0 in the test profile, where tests force failures. */
  processorFailureRate: number;
  processorHandlingMs: number;
}

export interface StackOptions {
  profile?: Profile;
  brokers?: number;
}

/** Builds the configuration from options and an environment (process.env by default). */
export function stackConfig(options: StackOptions = {}, env: Record<string, string | undefined> = process.env): StackConfig {
  const parsed = stackEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid stack configuration: ${problems}`);
  }
  const e = parsed.data;
  const profile = options.profile ?? "demo";
  const shift = PORT_SHIFT[profile];
  const root = path.resolve(import.meta.dirname, "..");
  const dir = path.resolve(root, e.STACK_DIR ?? (profile === "demo" ? ".stack" : `.stack-${profile}`));
  const brokers = options.brokers ?? e.STACK_BROKERS ?? DEFAULT_BROKERS[profile] ?? 1;
  const kafkaBase = e.STACK_KAFKA_PORT ?? 9092 + shift;
  const controllerBase = e.STACK_KAFKA_CONTROLLER_PORT ?? 9192 + shift;
  const ids = Array.from({ length: brokers }, (_, i) => i);
  // Debezium names topics <topic.prefix>.<schema>.<table>; the table lives in a schema named
  // "activity" so the default topic needs no routing transform.
  const topic = e.OUTBOX_TOPIC ?? "postgres.activity.event_outbox";
  return {
    profile,
    root,
    dir,
    envFile: path.join(dir, "env"),
    brokers,
    ports: {
      postgres: e.STACK_PG_PORT ?? 5433 + shift,
      kafka: ids.map((i) => kafkaBase + i),
      controller: ids.map((i) => controllerBase + i),
      connect: e.STACK_CONNECT_PORT ?? 8083 + shift,
      app: e.STACK_APP_PORT ?? 3000 + shift,
    },
    externalDatabaseUrl: e.STACK_DATABASE_URL,
    pgBin: e.STACK_PG_BIN,
    database: "activity",
    schema: "activity",
    table: "event_outbox",
    topic,
    replayTopic: profile === "demo" || profile === "test" ? `${topic}.replay` : null,
    topicPartitions: e.STACK_TOPIC_PARTITIONS ?? 3,
    connectorName: "outbox-connector",
    slotName: `outbox_lens_${profile}`,
    publicationName: `outbox_lens_${profile}`,
    processorGroupId: "activity-event-processor",
    jvmHeapMb: e.STACK_JVM_HEAP_MB ?? 512,
    processor: (e.STACK_PROCESSOR ?? "on") === "on",
    processorFailureRate: e.PROCESSOR_FAILURE_RATE ?? (profile === "test" || profile === "faults" || profile === "cluster" ? 0 : 0.02),
    processorHandlingMs: e.PROCESSOR_HANDLING_MS ?? 5,
  };
}

export function databaseUrl(config: StackConfig): string {
  return config.externalDatabaseUrl ?? `postgres://postgres@127.0.0.1:${config.ports.postgres}/${config.database}`;
}

export function kafkaBootstrap(config: StackConfig): string {
  return config.ports.kafka.map((p) => `127.0.0.1:${p}`).join(",");
}

/** The dotenv file stack:up writes for the app, the tests and a user's shell. */
export function stackEnv(config: StackConfig): Record<string, string> {
  return {
    STACK_NAME: config.profile,
    DATABASE_URL: databaseUrl(config),
    KAFKA_BROKERS: kafkaBootstrap(config),
    KAFKA_CONNECT_URL: `http://127.0.0.1:${config.ports.connect}`,
    KAFKA_CONNECTOR_NAME: config.connectorName,
    OUTBOX_TOPIC: config.topic,
    OUTBOX_TABLE: `${config.schema}.${config.table}`,
    ...(config.replayTopic ? { REPLAY_TOPICS: config.replayTopic } : {}),
    REPLICATION_SLOT: config.slotName,
    PROCESSOR_GROUP_ID: config.processorGroupId,
    PORT: String(config.ports.app),
  };
}
