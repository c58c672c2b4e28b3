import { LatencyTables } from "@/components/overview/latency-table";
import { LatestEvents } from "@/components/overview/latest-events";
import { OverviewCharts } from "@/components/overview/overview-charts";
import { PipelineStages } from "@/components/overview/pipeline-stages";
import { HealthPanel } from "@/components/pipeline/health-panel";
import { WatchedPipeline } from "@/components/pipeline/watched-pipeline";
import { PageHeader } from "@/components/shell/page-header";
import { findRuntime } from "@/server/runtime";

export default function OverviewPage() {
  const config = findRuntime()?.config;
  return (
    <>
      <PageHeader title="Overview">The outbox pipeline stage by stage: health, backlog, throughput, lag and latency, pushed live every second.</PageHeader>
      <div className="space-y-5">
        <PipelineStages />
        <OverviewCharts />
        <LatencyTables />
        <LatestEvents />
        {/* Reachability of each component, checked apart from the metrics: when a stage above is
            UNKNOWN, this says whether its system answers at all. */}
        <section aria-labelledby="components-heading" className="space-y-2">
          <h2 id="components-heading" className="text-sm font-medium text-ink">
            Components
          </h2>
          <HealthPanel />
          {config ? (
            <WatchedPipeline
              outboxTable={config.postgres.outboxTable.qualified}
              connectorName={config.connect.connectorName}
              outboxTopic={config.kafka.outboxTopic}
              processorGroupId={config.kafka.processorGroupId}
              pollIntervalMs={config.health.pollIntervalMs}
              checkTimeoutMs={config.health.checkTimeoutMs}
            />
          ) : null}
        </section>
      </div>
    </>
  );
}
