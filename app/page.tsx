import { HealthPanel } from "@/components/pipeline/health-panel";
import { WatchedPipeline } from "@/components/pipeline/watched-pipeline";
import { PageHeader } from "@/components/shell/page-header";
import { findRuntime } from "@/server/runtime";

export default function OverviewPage() {
  const config = findRuntime()?.config;
  return (
    <>
      <PageHeader title="Overview">Health of each stage of the outbox pipeline, checked by this server and pushed live.</PageHeader>
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
    </>
  );
}
