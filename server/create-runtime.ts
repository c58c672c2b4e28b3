import type { Server as HttpServer } from "node:http";
import type { RetryOptions } from "kafkajs";
import type { AppConfig } from "@/server/env";
import { checkConnect, KafkaConnectClient } from "@/server/connect/client";
import { checkAll, healthChanged, kafkaReplicationProblems, summarizeHealth } from "@/server/health/check";
import { HealthMonitor } from "@/server/health/monitor";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient } from "@/server/kafka/client";
import { KafkaHealthCheck } from "@/server/kafka/health";
import type { Logger } from "@/server/log";
import { checkPostgres, createPool } from "@/server/outbox/db";
import { eventColumnsOf } from "@/server/outbox/mapping";
import { OffsetPoller } from "@/server/kafka/offsets";
import { TopicTail } from "@/server/kafka/tail";
import { PartitionFetcher } from "@/server/kafka/partition-fetcher";
import { MessageReader } from "@/server/messages/reader";
import { MessageSearches } from "@/server/messages/searches";
import { exportMessages } from "@/server/messages/export";
import type { ExportQuery, ReproduceRequest } from "@/lib/contracts/messages";
import type { Principal } from "@/lib/contracts/auth";
import { reproduceMessage } from "@/server/messages/reproduce";
import { kafkaClusterStats, MetricsCollector } from "@/server/metrics/collector";
import { PipelineLatencySink } from "@/server/metrics/latency-sink";
import { LatencyRecorder } from "@/server/metrics/latency";
import { PrometheusExporter } from "@/server/metrics/prometheus";
import { HistorySeries } from "@/server/metrics/series";
import { OutboxStatsPoller } from "@/server/outbox/stats";
import { ACTION_LOCK_TIMEOUT_MS, ACTION_POOL_CONNECTIONS, ACTION_STATEMENT_TIMEOUT_MS, OutboxActions } from "@/server/outbox/actions";
import { AuditLog } from "@/server/outbox/audit";
import { FailureGroupCache } from "@/server/outbox/failure-groups";
import { migrateOwnSchema } from "@/server/outbox/migrations";
import { outboxTable } from "@/server/outbox/table";
import { ReplayProducer } from "@/server/kafka/replay-producer";
import type { Auth } from "@/server/auth/auth";
import { attachRealtime } from "@/server/realtime/io";
import type { Runtime } from "@/server/runtime";

// The health admin fails fast: one retry, short backoff. With KafkaJS's defaults (5 retries,
// backoff up to 30 s) a dead broker would keep each failed check's reconnect loop alive long after
// the check's own deadline, and they would accumulate while the broker stays down.
const HEALTH_KAFKA_RETRY: RetryOptions = { retries: 1, initialRetryTime: 100, maxRetryTime: 500 };
// Two connect attempts (the try and its retry) must fit in one check's deadline.
const HEALTH_KAFKA_CONNECT_SHARE = 1 / 3;
// The health check's pool gives up connecting a little after the check's own deadline. Were both
// equal, a silent server would be reported with one of two different reasons at random, and every
// poll would look like a change of state in the log; this way the check's deadline always fires first.
const POOL_CONNECT_GRACE_MS = 1_000;
// The health check has a pool of its own: it must reach PostgreSQL while the dashboard's pool
// refuses (see `unavailable` below) and never queue behind the dashboard's queries. A poll that
// hangs holds one connection until the query timeout; two let the next poll proceed meanwhile.
const HEALTH_POOL_CONNECTIONS = 2;
// An action's batch waits this long for a free connection while other actions hold them.
const ACTION_POOL_CONNECT_TIMEOUT_MS = 30_000;
// How often running audit entries of stopped servers are looked for (see AuditLog.closeInterrupted).
const AUDIT_SWEEP_INTERVAL_MS = 60_000;

export interface RuntimeHandle {
  runtime: Runtime;
  /** Starts the live tail and the metrics collector. */
  start(): Promise<void>;
  /** Stops polling and closes every client; never rejects. */
  close(): Promise<void>;
}

/**
 * Builds the process's long-lived clients from the configuration and wires the health poller to
 * the socket server. Connects nothing yet: pg and KafkaJS connect on first use, so the server
 * starts (and reports "down") even when the whole pipeline is down.
 */
export function createRuntime(config: AppConfig, httpServer: HttpServer, logger: Logger, auth: Auth): RuntimeHandle {
  const timeoutMs = config.health.checkTimeoutMs;

  // While the last health check found PostgreSQL not answering (no reply at all, as opposed to a
  // reply without the outbox table), the dashboard's queries are refused at once with that reason
  // rather than each waiting out a timeout against a hung server; the next good check lifts it.
  let postgresSilent: string | null = null;
  const pool = createPool(
    { connectionString: config.postgres.connectionString, connectionTimeoutMs: timeoutMs, unavailable: () => postgresSilent },
    logger.child("postgres"),
  );
  const healthPool = createPool(
    { connectionString: config.postgres.connectionString, connectionTimeoutMs: timeoutMs + POOL_CONNECT_GRACE_MS, maxConnections: HEALTH_POOL_CONNECTIONS, applicationName: "outbox-lens-health" },
    logger.child("postgres-health"),
  );
  const kafka = createKafkaClient({ clientId: "outbox-lens", brokers: config.kafka.brokers, logger: logger.child("kafka") });
  const kafkaAdmin = new KafkaAdminConnection(
    createKafkaClient({
      clientId: "outbox-lens-admin",
      brokers: config.kafka.brokers,
      connectionTimeoutMs: Math.max(50, Math.floor(timeoutMs * HEALTH_KAFKA_CONNECT_SHARE)),
      requestTimeoutMs: timeoutMs,
      retry: HEALTH_KAFKA_RETRY,
      logger: logger.child("kafka-admin"),
    }),
  );
  const connect = new KafkaConnectClient({ baseUrl: config.connect.url, requestTimeoutMs: timeoutMs });

  const healthLogger = logger.child("health");
  // The health check's one metadata request also gives the cluster's brokers and the watched topics' replication.
  const kafkaHealth = new KafkaHealthCheck({ connection: kafkaAdmin, topics: [config.kafka.outboxTopic, ...config.kafka.replayTopics] });
  const health = new HealthMonitor(
    () =>
      checkAll({
        postgres: () => checkPostgres(healthPool, { outboxTable: config.postgres.outboxTable, target: config.postgres.target, timeoutMs }),
        kafka: () => kafkaHealth.check(timeoutMs),
        connect: () => checkConnect(connect, config.connect.connectorName),
      }),
    { intervalMs: config.health.pollIntervalMs, onListenerError: (error) => healthLogger.error(error) },
  );
  health.subscribe((report) => {
    const postgres = report.components.postgres;
    postgresSilent = postgres.status === "down" && postgres.detail.serverVersion === null ? `${postgres.error ?? "no answer"}, checked at ${report.checkedAt}` : null;
  });
  // Transitions only: the same "down" every poll would bury everything else in the log.
  health.subscribe((report, previous) => {
    if (!healthChanged(previous, report)) return;
    if (report.status === "ok" && kafkaReplicationProblems(report) === null) healthLogger.info(summarizeHealth(report));
    else healthLogger.warn(summarizeHealth(report));
  });

  // Live metrics: the tail reads every record once; the latency sink turns records into hop
  // samples; the collector polls offsets, the table and the connector and snapshots it all.
  const mapping = config.postgres.mapping;
  const outbox = outboxTable(pool, config.postgres.outboxTable, mapping);
  const eventColumns = eventColumnsOf(mapping);
  const actionPool = createPool(
    {
      connectionString: config.postgres.connectionString,
      connectionTimeoutMs: ACTION_POOL_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: ACTION_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: ACTION_LOCK_TIMEOUT_MS,
      // Retries and replays get connections of their own: a bulk action must not starve the polls
      // of the dashboard, nor the polls an action.
      maxConnections: ACTION_POOL_CONNECTIONS,
      applicationName: "outbox-lens-actions",
    },
    logger.child("postgres-actions"),
  );
  const audit = new AuditLog(pool);
  const failureGroups = new FailureGroupCache(outbox);
  const replayProducer = new ReplayProducer(kafka, kafkaAdmin, logger.child("replay"));
  const actions = new OutboxActions({
    table: outboxTable(actionPool, config.postgres.outboxTable, mapping),
    actionPool,
    audit: new AuditLog(actionPool),
    replay: replayProducer,
    outboxTopic: config.kafka.outboxTopic,
    replayTopics: config.kafka.replayTopics,
    logger: logger.child("actions"),
    onChanged: () => failureGroups.invalidate(),
  });
  const tail = new TopicTail({
    client: kafka,
    admin: kafkaAdmin,
    topics: [config.kafka.outboxTopic],
    lookbackMs: config.metrics.tailLookbackMs,
    decode: { columns: eventColumns },
    logger: logger.child("tail"),
  });
  const latency = new LatencyRecorder();
  const latencySink = new PipelineLatencySink(latency, {
    pendingStatus: mapping.statuses.pending,
    processedStatus: mapping.statuses.processed,
    failedStatus: mapping.statuses.failed,
    columns: eventColumns,
  });
  tail.onRecord((record, meta) => latencySink.accept(record, meta.receivedAt));
  const metrics = new MetricsCollector({
    tail,
    offsets: new OffsetPoller({
      admin: kafkaAdmin,
      topic: config.kafka.outboxTopic,
      groups: config.metrics.groups,
      alwaysMonitor: [config.kafka.processorGroupId],
      tail,
      logger: logger.child("offsets"),
    }),
    outbox: new OutboxStatsPoller({
      pool,
      table: config.postgres.outboxTable,
      mapping,
      replicationSlot: config.metrics.replicationSlot,
      logger: logger.child("outbox"),
    }),
    connect,
    connectorName: config.connect.connectorName,
    cluster: () => kafkaClusterStats(health.latest()),
    statuses: mapping.statuses,
    latency,
    history: new HistorySeries(),
    logger: logger.child("metrics"),
  });
  const prometheus = new PrometheusExporter();
  metrics.subscribe((snapshot) => prometheus.update(snapshot));

  // Messages: reads go straight to the partition leaders, on connections of their own.
  const fetcher = new PartitionFetcher(createKafkaClient({ clientId: "outbox-lens-reader", brokers: config.kafka.brokers, logger: logger.child("kafka-reader") }), logger.child("reader"));
  const reader = new MessageReader({
    admin: kafkaAdmin,
    fetcher,
    outboxTopic: config.kafka.outboxTopic,
    otherTopics: config.kafka.replayTopics,
    decode: { columns: eventColumns },
  });
  const searches = new MessageSearches({ reader, logger: logger.child("search") });
  const writableTopics = [config.kafka.outboxTopic, ...config.kafka.replayTopics];
  const messages = {
    reader,
    searches,
    exportMessages: (query: ExportQuery, maskFields: readonly string[]) => exportMessages(reader, query, maskFields),
    reproduce: (request: ReproduceRequest, principal: Principal) => reproduceMessage({ reader, producer: replayProducer, audit, writableTopics }, request, principal),
  };

  const realtime = attachRealtime(httpServer, { allowedOrigins: config.http.allowedOrigins, auth, health, metrics, tail, actions, searches, logger: logger.child("realtime") });

  const runtime: Runtime = { config, pool, kafka, kafkaAdmin, connect, health, io: realtime.io, metrics, prometheus, tail, outbox, failureGroups, audit, actions, messages };

  let auditSweep: NodeJS.Timeout | null = null;
  return {
    runtime,
    async start() {
      auditSweep = setInterval(() => void audit.closeInterrupted().catch(() => undefined), AUDIT_SWEEP_INTERVAL_MS);
      auditSweep.unref();
      // The audit log's schema; a database that refuses it (no CREATE right, down) leaves the
      // dashboard running and the actions failing with the reason.
      await migrateOwnSchema(pool)
        .then(async (ran) => {
          if (ran > 0) logger.info(`schema outbox_lens: ${ran} migration(s) applied`);
          const closed = await audit.closeInterrupted();
          if (closed > 0) logger.warn(`${closed} action(s) interrupted by the last shutdown closed as failed in the audit log`);
        })
        .catch((error: unknown) => logger.error(`schema outbox_lens not migrated (actions and the audit log will fail): ${String(error)}`));
      metrics.start();
      prometheus.eventLoopDelay.start();
      await tail.start().catch((error: unknown) => logger.child("tail").error(`tail did not start: ${String(error)}`));
    },
    async close() {
      metrics.stop();
      prometheus.eventLoopDelay.stop();
      if (auditSweep) clearInterval(auditSweep);
      await actions.stop();
      await searches.stop();
      await fetcher.disconnect();
      await replayProducer.disconnect();
      await health.stop();
      realtime.detach();
      await tail.stop().catch(() => undefined);
      await Promise.allSettled([pool.end(), healthPool.end(), actionPool.end(), kafkaAdmin.disconnect()]);
    },
  };
}
