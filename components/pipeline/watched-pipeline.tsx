import { formatDuration } from "@/lib/format/duration";

/** What this server is configured to watch; plain values, so the page passes them from its config. */
export interface WatchedPipelineProps {
  outboxTable: string;
  outboxTopic: string;
  connectorName: string;
  processorGroupId: string;
  pollIntervalMs: number;
  checkTimeoutMs: number;
}

/**
 * The pipeline as configured, in the order data flows. Shown next to live health so an operator
 * can tell "the connector is down" from "we are watching the wrong connector".
 */
export function WatchedPipeline(props: WatchedPipelineProps) {
  const stages = [
    { term: "Outbox table", value: props.outboxTable },
    { term: "Connector", value: props.connectorName },
    { term: "Topic", value: props.outboxTopic },
    { term: "Processor group", value: props.processorGroupId },
  ];
  return (
    <section aria-labelledby="watched-heading" className="mt-3 rounded border border-line bg-surface">
      <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-line px-3 py-2">
        <h2 id="watched-heading" className="text-sm font-medium text-ink">
          Watching
        </h2>
        <p className="text-xs text-ink-muted">
          health checked every <span className="tabular text-ink">{formatDuration(props.pollIntervalMs)}</span>, each check bounded to{" "}
          <span className="tabular text-ink">{formatDuration(props.checkTimeoutMs)}</span>
        </p>
      </header>
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2 text-xs">
        {stages.map((stage, index) => (
          <li key={stage.term} className="flex items-center gap-2">
            {index > 0 ? (
              <span aria-hidden className="text-ink-faint">
                →
              </span>
            ) : null}
            <span className="text-ink-muted">{stage.term}</span>
            <code className="font-mono text-ink">{stage.value}</code>
          </li>
        ))}
      </ol>
    </section>
  );
}
