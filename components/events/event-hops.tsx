import type { TraceHop } from "@/lib/contracts/events";
import { formatLatency } from "@/lib/format/numbers";
import { formatUtcSpan } from "@/lib/format/timestamp";

const HOP_LABELS: Readonly<Record<TraceHop["hop"], { label: string; explanation: string }>> = {
  capture: { label: "Capture", explanation: "transaction commit → record on the topic" },
  outboxToKafka: { label: "Outbox → Kafka", explanation: "row created → record on the topic" },
  kafkaToProcessed: { label: "Kafka → processed", explanation: "record on the topic → row marked processed" },
  endToEnd: { label: "End to end", explanation: "row created → row marked processed" },
};

/**
 * How long each hop took, as bars on one scale (the longest hop is full width), so where the time
 * went is seen at a glance. A hop with an unknown end has no bar.
 */
export function EventHops({ hops }: { hops: readonly TraceHop[] }) {
  if (hops.length === 0) return <p className="text-xs text-ink-faint">No hop timed yet.</p>;
  const longest = Math.max(1, ...hops.map((hop) => hop.ms ?? 0));
  return (
    <ol className="space-y-1.5 rounded border border-line bg-surface px-3 py-2" data-testid="trace-hops">
      {hops.map((hop) => {
        const label = HOP_LABELS[hop.hop];
        return (
          <li key={hop.hop} data-testid="trace-hop" data-hop={hop.hop} data-ms={hop.ms ?? ""} className="grid grid-cols-[9rem_minmax(0,1fr)_5rem] items-center gap-3 text-xs">
            <span className={hop.hop === "endToEnd" ? "font-medium text-ink" : "text-ink"} title={label.explanation}>
              {label.label}
            </span>
            <span className="min-w-0 space-y-0.5">
              <span className="block h-1.5 overflow-hidden rounded-sm bg-surface-raised">
                {hop.ms !== null ? (
                  <span className={`block h-full ${hop.hop === "endToEnd" ? "bg-accent" : "bg-accent/60"}`} style={{ width: `${Math.max(1, (hop.ms / longest) * 100)}%` }} />
                ) : null}
              </span>
              <span className="block truncate text-[11px] text-ink-faint" title={`${label.explanation}: ${formatUtcSpan(hop.from, hop.to)}`}>
                {formatUtcSpan(hop.from, hop.to)}
              </span>
            </span>
            <span className="tabular text-right text-ink">{formatLatency(hop.ms)}</span>
          </li>
        );
      })}
    </ol>
  );
}
