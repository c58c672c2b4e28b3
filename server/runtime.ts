import type { AppConfig } from "@/server/env";
import type { HealthMonitor } from "@/server/health/monitor";
import type { KafkaAdminConnection } from "@/server/kafka/admin";
import type { KafkaClient } from "@/server/kafka/client";
import type { KafkaConnectClient } from "@/server/connect/client";
import type { Pool } from "@/server/outbox/db";
import type { RealtimeServer } from "@/server/realtime/io";
import type { MetricsCollector } from "@/server/metrics/collector";
import type { PrometheusExporter } from "@/server/metrics/prometheus";
import type { TopicTail } from "@/server/kafka/tail";
import type { OutboxActions } from "@/server/outbox/actions";
import type { AuditLog } from "@/server/outbox/audit";
import type { FailureGroupCache } from "@/server/outbox/failure-groups";
import type { OutboxTable } from "@/server/outbox/table";
import type { MessageReader } from "@/server/messages/reader";
import type { MessageSearches } from "@/server/messages/searches";
import type { ExportResponse } from "@/server/messages/export";
import type { ExportQuery, ReproduceRequest, ReproduceResponse } from "@/lib/contracts/messages";
import type { Principal } from "@/lib/contracts/auth";

/**
 * The process's long-lived clients, shared between the custom server and Next's route handlers.
 *
 * Next bundles route handlers and server components separately from the modules the custom server
 * imports, so a module-level singleton would exist twice. The runtime is therefore kept on
 * globalThis under a registered symbol, and this module imports types only: a route handler that
 * imports it pulls no pg or KafkaJS code into its bundle.
 */
export interface Runtime {
  readonly config: AppConfig;
  readonly pool: Pool;
  /** General-purpose Kafka client (tail consumer, replay producer). */
  readonly kafka: KafkaClient;
  /** Admin for health and offsets; fast-failing retries, every call with a deadline. */
  readonly kafkaAdmin: KafkaAdminConnection;
  readonly connect: KafkaConnectClient;
  readonly health: HealthMonitor;
  readonly io: RealtimeServer;
  /** Live metrics: one snapshot a second and the 15-minute history. */
  readonly metrics: MetricsCollector;
  readonly prometheus: PrometheusExporter;
  /** The live tail of the outbox topic (recent records per partition). */
  readonly tail: TopicTail;
  /** The configured outbox table (pool, quoted names, mapping). */
  readonly outbox: OutboxTable;
  readonly failureGroups: FailureGroupCache;
  readonly audit: AuditLog;
  /** Retry and replay. */
  readonly actions: OutboxActions;
  /** The Messages page: browse, one message, searches, export. */
  readonly messages: {
    readonly reader: MessageReader;
    readonly searches: MessageSearches;
    exportMessages(query: ExportQuery, maskFields: readonly string[]): Promise<ExportResponse>;
    /** Produces one record again (operators); audited. */
    reproduce(request: ReproduceRequest, principal: Principal): Promise<ReproduceResponse>;
  };
}

const RUNTIME_KEY = Symbol.for("outbox-lens.runtime");

type RuntimeHolder = typeof globalThis & { [RUNTIME_KEY]?: Runtime };

/** Raised by {@link getRuntime} when code runs outside the custom server (e.g. `next build`, `next dev`). */
export class RuntimeNotStartedError extends Error {
  constructor() {
    super("the Outbox Lens server runtime is not running (start the app with `npm run dev` or `npm start`, not `next`)");
    this.name = "RuntimeNotStartedError";
  }
}

/** The runtime, or null when this code runs outside the custom server. */
export function findRuntime(): Runtime | null {
  return (globalThis as RuntimeHolder)[RUNTIME_KEY] ?? null;
}

/** The runtime; throws {@link RuntimeNotStartedError} outside the custom server. */
export function getRuntime(): Runtime {
  const runtime = findRuntime();
  if (!runtime) throw new RuntimeNotStartedError();
  return runtime;
}

/** Installed once by server/index.ts after every client exists; cleared on shutdown. */
export function setRuntime(runtime: Runtime | null): void {
  const holder = globalThis as RuntimeHolder;
  if (runtime) holder[RUNTIME_KEY] = runtime;
  else delete holder[RUNTIME_KEY];
}
