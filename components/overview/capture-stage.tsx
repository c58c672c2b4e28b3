import type { ConnectState, OutboxStats, Percentiles } from "@/lib/contracts/metrics";
import { formatBytes, formatLatency } from "@/lib/format/numbers";
import { connectorStateTone } from "@/components/pipeline/health-view";
import { RestartConnector } from "./restart-connector";
import { Stat, StatGrid } from "./stat";

/**
 * Change capture: the Debezium connector and its tasks on Kafka Connect, the replication slot it
 * reads, and how long a commit takes to reach Kafka.
 */
export function CaptureStageBody({ connect, slot, latency }: { connect: ConnectState; slot: OutboxStats["slot"]; latency: Percentiles | undefined }) {
  return (
    <>
      <StatGrid columns={3}>
        <Stat label="Slot lag" testId="slot-lag" value={slot?.lagBytes ?? null} title="pg_current_wal_lsn() − confirmed_flush_lsn: WAL the connector has not confirmed">
          {formatBytes(slot?.lagBytes ?? null)}
        </Stat>
        <Stat label="p50 (1 min)" testId="capture-p50" value={latency?.p50 ?? null} title="Commit in PostgreSQL → record in Kafka, median over the last minute">
          {formatLatency(latency?.p50)}
        </Stat>
        <Stat label="p99 (1 min)" testId="capture-p99" value={latency?.p99 ?? null} title="Commit in PostgreSQL → record in Kafka, 99th percentile over the last minute">
          {formatLatency(latency?.p99)}
        </Stat>
      </StatGrid>
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1 border-t border-line pt-2 text-xs">
        <dt className="text-ink-muted">Connector</dt>
        <dd className="min-w-0">
          <span data-testid="connector-state" data-state={connect.state ?? ""} className={`font-medium ${connectorStateTone(connect.state)}`}>
            {connect.state ?? "unknown"}
          </span>
        </dd>
        <dt className="text-ink-muted">Tasks</dt>
        <dd className="min-w-0">
          {connect.tasks.length === 0 ? (
            <span className="text-ink-faint">{connect.state === null ? "—" : "none"}</span>
          ) : (
            <ul className="space-y-0.5">
              {connect.tasks.map((task) => (
                <li key={task.id} data-testid="connector-task" data-state={task.state}>
                  <span className="tabular text-ink-muted">#{task.id}</span> <span className={connectorStateTone(task.state)}>{task.state}</span>
                  {task.workerId ? <span className="ml-1 font-mono text-[11px] break-all text-ink-faint">{task.workerId}</span> : null}
                  {task.trace ? (
                    <details className="mt-0.5">
                      <summary className="cursor-pointer text-[11px] text-ink-muted hover:text-ink">stack trace</summary>
                      <pre className="mt-1 max-h-64 overflow-auto rounded border border-line bg-canvas p-2 font-mono text-[11px] leading-snug whitespace-pre-wrap wrap-anywhere text-ink-muted">
                        {task.trace}
                      </pre>
                    </details>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-ink-muted">Slot</dt>
        <dd className="min-w-0">
          {slot ? (
            <>
              <span className="font-mono text-[11px] text-ink">{slot.name}</span>{" "}
              <span data-testid="slot-active" data-active={String(slot.active)} className={slot.active ? "text-up" : "text-down"}>
                {slot.active ? "active" : "inactive"}
              </span>
            </>
          ) : (
            <span className="text-ink-faint">—</span>
          )}
        </dd>
      </dl>
      {connect.state !== null ? <RestartConnector hasFailedTasks={connect.state === "FAILED" || connect.tasks.some((task) => task.state === "FAILED")} /> : null}
    </>
  );
}
