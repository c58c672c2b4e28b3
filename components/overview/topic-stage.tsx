import type { KafkaClusterStats, MetricsSnapshot, TopicStats } from "@/lib/contracts/metrics";
import { formatByteRate, formatCount, formatRate } from "@/lib/format/numbers";
import { formatMissingBrokers } from "@/lib/format/replication";
import { Stat, StatGrid } from "./stat";

/** Debezium's op codes in words, in the order they are listed. */
const OP_LABELS: readonly [string, string][] = [
  ["c", "create"],
  ["u", "update"],
  ["d", "delete"],
  ["r", "snapshot read"],
  ["t", "truncate"],
  ["tombstone", "tombstone"],
  ["other", "other"],
];
const KNOWN_OPS = new Set(OP_LABELS.map(([op]) => op));

// Event types beyond this many are folded into "more"; a topic can carry hundreds.
const EVENT_TYPES_SHOWN = 5;

/**
 * The Kafka topic: throughput, partitions, the cluster's brokers and the topic's replication, and
 * what the records are (by op and by event type).
 */
export function TopicStageBody({ topic, cluster, tail }: { topic: TopicStats; cluster: KafkaClusterStats | null; tail: MetricsSnapshot["tail"] }) {
  const ops = [
    ...OP_LABELS.filter(([op]) => topic.byOp[op] !== undefined).map(([op, label]) => ({ op, label, rate: topic.byOp[op] ?? 0 })),
    ...Object.entries(topic.byOp)
      .filter(([op]) => !KNOWN_OPS.has(op))
      .map(([op, rate]) => ({ op, label: op, rate })),
  ];
  const eventTypes = Object.entries(topic.byEventType).sort((a, b) => b[1] - a[1]);
  const shown = eventTypes.slice(0, EVENT_TYPES_SHOWN);
  const folded = eventTypes.slice(EVENT_TYPES_SHOWN);

  return (
    <>
      <StatGrid columns={3}>
        <Stat label="Messages" testId="topic-messages-rate" value={topic.messagesPerSec} title="From end-offset advance: exact">
          {formatRate(topic.messagesPerSec)}
        </Stat>
        <Stat label="Bytes" testId="topic-bytes-rate" value={topic.bytesPerSec} title="From the records this dashboard reads">
          {formatByteRate(topic.bytesPerSec)}
        </Stat>
        <Stat label="Partitions" testId="topic-partitions" value={topic.partitions.length}>
          {topic.partitions.length === 0 && topic.error ? "—" : formatCount(topic.partitions.length)}
        </Stat>
        <ClusterStats cluster={cluster} />
      </StatGrid>
      <MissingBrokers cluster={cluster} />
      <div className="space-y-1 border-t border-line pt-2 text-xs">
        <p className="text-[11px] text-ink-muted">By operation (last 10 s)</p>
        {ops.length === 0 ? (
          <p className="text-ink-faint">no records</p>
        ) : (
          <ul className="flex flex-wrap gap-1" data-testid="topic-by-op">
            {ops.map(({ op, label, rate }) => (
              <li key={op} data-op={op} data-rate={rate} className="rounded-sm border border-line-strong px-1.5 py-px">
                <span className="text-ink-muted">{label}</span> <span className="tabular text-ink">{formatRate(rate)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="space-y-1 text-xs">
        <p className="text-[11px] text-ink-muted">Inserts by event type (last 10 s)</p>
        {eventTypes.length === 0 ? (
          <p className="text-ink-faint">no inserts</p>
        ) : (
          <>
            <EventTypeRates rates={shown} />
            {folded.length > 0 ? (
              <details>
                <summary className="cursor-pointer text-[11px] text-ink-muted hover:text-ink">{folded.length} more</summary>
                <EventTypeRates rates={folded} />
              </details>
            ) : null}
          </>
        )}
      </div>
      <p className="mt-auto text-[11px] text-ink-faint" title="This dashboard's own reader of the topic">
        tail reads <span className="tabular">{formatRate(tail.messagesPerSec)}</span>, behind <span className="tabular">{formatCount(tail.behindRecords)}</span>
        {tail.undecodable > 0 ? (
          <>
            , <span className="tabular text-pending">{formatCount(tail.undecodable)}</span> not change events
          </>
        ) : null}
        {tail.decodeEvery > 1 ? (
          <span title="Under a high rate or a backlog only some events are decoded for latency; counts and rates stay exact">
            ; latency sampled from 1 event in <span className="tabular">{formatCount(tail.decodeEvery)}</span>
          </span>
        ) : null}
      </p>
    </>
  );
}

function EventTypeRates({ rates }: { rates: readonly [string, number][] }) {
  return (
    <ul>
      {rates.map(([eventType, rate]) => (
        <li key={eventType} data-testid="topic-event-type" data-event-type={eventType} data-rate={rate} className="flex items-baseline justify-between gap-2 py-px">
          <span className="min-w-0 truncate font-mono text-[11px] text-ink" title={eventType}>
            {eventType}
          </span>
          <span className="tabular shrink-0 text-ink">{formatRate(rate)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Live brokers of the expected ones, and the partitions that lost replicas or their leader: unknown ("—") while Kafka does not answer. */
function ClusterStats({ cluster }: { cluster: KafkaClusterStats | null }) {
  const replication = cluster?.replication;
  const live = cluster ? cluster.brokers.length : null;
  const missing = replication?.missingBrokers.length ?? 0;
  return (
    <>
      <Stat
        label="Brokers"
        testId="brokers-live"
        value={live}
        tone={missing > 0 ? "text-pending" : undefined}
        title={cluster ? `${live} live of ${live! + missing} expected (in a replica list of the topic, or seen earlier)` : "The cluster's metadata could not be read"}
      >
        {cluster ? `${formatCount(live)} of ${formatCount(live! + missing)}` : "—"}
      </Stat>
      <Stat
        label="Under-replicated"
        testId="partitions-under-replicated"
        value={replication?.underReplicated ?? null}
        tone={replication && replication.underReplicated > 0 ? "text-pending" : undefined}
        title="Partitions with fewer in-sync replicas than replicas"
      >
        {formatCount(replication?.underReplicated)}
      </Stat>
      <Stat
        label="Offline"
        testId="partitions-offline"
        value={replication?.offline ?? null}
        tone={replication && replication.offline > 0 ? "text-down" : undefined}
        title="Partitions without a leader: nothing is written to them or read from them"
      >
        {formatCount(replication?.offline)}
      </Stat>
    </>
  );
}

/** Which brokers are missing and where they were last seen; partitions below min.insync.replicas. */
function MissingBrokers({ cluster }: { cluster: KafkaClusterStats | null }) {
  if (!cluster) return null;
  const { missingBrokers, belowMinIsr, partitions } = cluster.replication;
  const ids = missingBrokers.map((broker) => broker.nodeId);
  // "last seen at 10.0.0.3:9092" for one broker; "last seen: 2 at …, 3 at …" for several.
  const seen = missingBrokers.filter((broker) => broker.lastSeenAt !== null);
  const lastSeen =
    seen.length === 0 ? null : ids.length === 1 ? `last seen at ${seen[0]!.lastSeenAt}` : `last seen: ${seen.map((broker) => `${broker.nodeId} at ${broker.lastSeenAt}`).join(", ")}`;
  return (
    <>
      {/* Always present for tests and screen readers; shown only when a broker is missing. */}
      <p data-testid="brokers-missing" data-value={ids.length} data-broker-ids={ids.join(",")} className={ids.length > 0 ? "-mt-1 text-xs text-pending" : "sr-only"}>
        {ids.length > 0 ? (
          <>
            {formatMissingBrokers(ids)}
            {lastSeen ? <span className="text-ink-faint"> · {lastSeen}</span> : null}
          </>
        ) : (
          "no broker missing"
        )}
      </p>
      {belowMinIsr !== null && belowMinIsr > 0 ? (
        <p data-testid="partitions-below-min-isr" data-value={belowMinIsr} className="-mt-1 text-xs text-down">
          {formatCount(belowMinIsr)} of {formatCount(partitions)} partitions below min.insync.replicas: writes with acks=all are refused
        </p>
      ) : null}
    </>
  );
}
