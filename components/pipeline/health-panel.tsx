"use client";

import type { ReactNode } from "react";
import type { ConnectHealth, HealthReport, KafkaHealth, PipelineComponent, PostgresHealth } from "@/lib/contracts/health";
import { formatClockUtc, formatDuration } from "@/lib/format/duration";
import { replicationProblems } from "@/lib/format/replication";
import { useLiveConnection } from "@/components/realtime/live-connection";
import { useHealthReportQuery } from "./health-report-query";
import { STATUS_TONE, connectorStateTone, displayStatus, type DisplayStatus } from "./health-view";

/**
 * The overview's health panel: one card per pipeline stage, in the order data flows
 * (outbox table → Debezium on Connect → Kafka), each with status, latency, error and details.
 */
export function HealthPanel() {
  const connection = useLiveConnection();
  const { data: report, isError, error } = useHealthReportQuery();
  const reportUnavailable = isError && connection !== "connected";

  return (
    <section aria-labelledby="health-heading" className="space-y-3">
      <HealthSummary report={report} reportUnavailable={reportUnavailable} fetchError={error?.message ?? null} />
      <div className="grid gap-3 lg:grid-cols-3">
        <ComponentCard
          id="postgres"
          title="PostgreSQL"
          role="outbox table"
          status={displayStatus(report, "postgres", reportUnavailable)}
          health={report?.components.postgres}
        >
          {report && <PostgresDetails health={report.components.postgres} />}
        </ComponentCard>
        <ComponentCard
          id="connect"
          title="Kafka Connect"
          role="Debezium change capture"
          status={displayStatus(report, "connect", reportUnavailable)}
          health={report?.components.connect}
        >
          {report && <ConnectDetails health={report.components.connect} />}
        </ComponentCard>
        <ComponentCard
          id="kafka"
          title="Kafka"
          role="broker cluster"
          status={displayStatus(report, "kafka", reportUnavailable)}
          health={report?.components.kafka}
        >
          {report && <KafkaDetails health={report.components.kafka} />}
        </ComponentCard>
      </div>
    </section>
  );
}

function HealthSummary({ report, reportUnavailable, fetchError }: { report: HealthReport | undefined; reportUnavailable: boolean; fetchError: string | null }) {
  let tone: DisplayStatus = "unknown";
  let headline = "Waiting for the first health report";
  if (report && !reportUnavailable) {
    const down = Object.entries(report.components).filter(([, component]) => component.status === "down");
    tone = down.length === 0 ? "up" : "down";
    headline = down.length === 0 ? "All pipeline components are up" : `Degraded: ${down.map(([name]) => COMPONENT_TITLES[name as PipelineComponent]).join(", ")} down`;
  } else if (reportUnavailable) {
    headline = "Health unknown: the server cannot be reached";
  }

  return (
    <div className={`flex flex-wrap items-center justify-between gap-2 rounded border bg-surface px-3 py-2 ${STATUS_TONE[tone].border}`}>
      <h2 id="health-heading" className="flex items-center gap-2 text-sm font-medium text-ink">
        <span aria-hidden className={`size-2 shrink-0 rounded-full ${STATUS_TONE[tone].dot}`} />
        {headline}
      </h2>
      <p className="text-xs text-ink-muted">
        {report ? (
          <>
            {reportUnavailable ? "last report" : "checked"}{" "}
            <time dateTime={report.checkedAt} className="tabular text-ink">
              {formatClockUtc(report.checkedAt)}
            </time>
          </>
        ) : null}
        {reportUnavailable && fetchError ? <span className="ml-2 text-down">{fetchError}</span> : null}
      </p>
    </div>
  );
}

const COMPONENT_TITLES: Record<PipelineComponent, string> = {
  postgres: "PostgreSQL",
  connect: "Kafka Connect",
  kafka: "Kafka",
};

function ComponentCard(props: {
  id: PipelineComponent;
  title: string;
  role: string;
  status: DisplayStatus;
  health: PostgresHealth | KafkaHealth | ConnectHealth | undefined;
  children: ReactNode;
}) {
  const tone = STATUS_TONE[props.status];
  return (
    <article
      data-testid={`health-card-${props.id}`}
      data-status={props.status}
      className={`flex min-w-0 flex-col rounded border bg-surface ${props.status === "down" ? tone.border : "border-line"}`}
    >
      <header className="flex items-center justify-between gap-2 border-b border-line px-3 py-2">
        <div className="min-w-0">
          <h3 className="text-sm font-medium text-ink">{props.title}</h3>
          <p className="text-[11px] uppercase tracking-wide text-ink-faint">{props.role}</p>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          {props.health && props.status !== "unknown" ? (
            <span className="tabular text-xs text-ink-muted" title="Time the check took">
              {formatDuration(props.health.latencyMs)}
            </span>
          ) : null}
          <span className={`inline-flex items-center gap-1.5 rounded-sm border px-1.5 py-px text-[11px] font-semibold tracking-wide ${tone.border} ${tone.text}`}>
            <span aria-hidden className={`size-1.5 shrink-0 rounded-full ${tone.dot}`} />
            {tone.label}
          </span>
        </div>
      </header>
      {props.health?.error ? (
        <p role="status" className="border-b border-down/30 bg-down/10 px-3 py-2 font-mono text-xs break-words text-down">
          {props.health.error}
        </p>
      ) : null}
      {/* Details of a report that can no longer be refreshed are dimmed: they are history, not state. */}
      <div className={`px-3 py-2 ${props.status === "unknown" ? "opacity-50" : ""}`}>
        {props.children ?? <p className="text-xs text-ink-faint">No report yet.</p>}
      </div>
    </article>
  );
}

function Details({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">{children}</dl>;
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-ink-muted">{term}</dt>
      <dd className="min-w-0 font-mono break-words text-ink">{children}</dd>
    </>
  );
}

function Missing() {
  return <span className="text-ink-faint">—</span>;
}

function PostgresDetails({ health }: { health: PostgresHealth }) {
  const { detail } = health;
  return (
    <Details>
      <Row term="Server">{detail.target}</Row>
      <Row term="Version">{detail.serverVersion ?? <Missing />}</Row>
      <Row term="Outbox table">
        {detail.outboxTable}{" "}
        {detail.outboxTableFound === null ? null : detail.outboxTableFound ? (
          <span className="font-sans text-up">found</span>
        ) : (
          <span className="font-sans text-down">not found</span>
        )}
      </Row>
    </Details>
  );
}

function KafkaDetails({ health }: { health: KafkaHealth }) {
  const { detail } = health;
  return (
    <Details>
      <Row term="Bootstrap">{detail.bootstrapBrokers.join(", ")}</Row>
      <Row term="Cluster id">{detail.clusterId ?? <Missing />}</Row>
      <Row term="Controller">{detail.controller ?? <Missing />}</Row>
      <Row term="Brokers">
        {detail.brokers.length === 0 ? (
          <Missing />
        ) : (
          <ul>
            {detail.brokers.map((broker) => (
              <li key={broker.nodeId}>
                <span className="text-ink-muted">#{broker.nodeId}</span> {broker.host}:{broker.port}
              </li>
            ))}
            {detail.replication?.missingBrokers.map((broker) => (
              <li key={broker.nodeId} className="text-pending">
                <span>#{broker.nodeId}</span> missing{broker.lastSeenAt ? ` (was ${broker.lastSeenAt})` : ""}
              </li>
            ))}
          </ul>
        )}
      </Row>
      {detail.replication ? (
        <Row term="Replication">
          {/* Of the watched topics (the outbox topic and the replay topics). */}
          <span className={replicationProblems(detail.replication) ? "font-sans text-pending" : "font-sans"}>
            {replicationProblems(detail.replication) ?? `${detail.replication.partitions} partitions in sync`}
          </span>
        </Row>
      ) : null}
    </Details>
  );
}

function ConnectDetails({ health }: { health: ConnectHealth }) {
  const { detail } = health;
  return (
    <div className="space-y-2">
      <Details>
        <Row term="REST API">{detail.url}</Row>
        <Row term="Worker version">{detail.workerVersion ?? <Missing />}</Row>
        <Row term="Connector">
          {detail.connector}{" "}
          <span className={`font-sans ${connectorStateTone(detail.connectorState)}`}>{detail.connectorState ?? "unknown"}</span>
        </Row>
      </Details>
      {detail.connectorTrace ? <Trace label="connector trace" trace={detail.connectorTrace} /> : null}
      {detail.tasks.length > 0 ? (
        <table className="w-full text-xs">
          <thead>
            <tr className="text-left text-ink-muted">
              <th className="py-0.5 pr-3 font-normal">Task</th>
              <th className="py-0.5 pr-3 font-normal">State</th>
              <th className="py-0.5 font-normal">Worker</th>
            </tr>
          </thead>
          <tbody className="font-mono">
            {detail.tasks.map((task) => (
              <tr key={task.id} className="border-t border-line align-top">
                <td className="py-0.5 pr-3 text-ink">{task.id}</td>
                <td className={`py-0.5 pr-3 font-sans ${connectorStateTone(task.state)}`}>
                  {task.state}
                  {task.trace ? <Trace label="trace" trace={task.trace} /> : null}
                </td>
                <td className="py-0.5 break-all text-ink-muted">{task.workerId ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function Trace({ label, trace }: { label: string; trace: string }) {
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-[11px] text-ink-muted hover:text-ink">{label}</summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded border border-line bg-canvas p-2 font-mono text-[11px] leading-snug whitespace-pre-wrap text-ink-muted">
        {trace}
      </pre>
    </details>
  );
}
