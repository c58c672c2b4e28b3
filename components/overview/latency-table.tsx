"use client";

import type { ReactNode } from "react";
import { HOP_LABELS, HOPS, WINDOWS, type LatencyWindow, type MetricsSnapshot, type Percentiles } from "@/lib/contracts/metrics";
import { formatCount, formatLatency } from "@/lib/format/numbers";
import { useMetricsSnapshot } from "@/components/metrics/live-metrics";
import { Skeleton } from "./stat";

const WINDOW_LABELS: Record<LatencyWindow, string> = { "1m": "1 min", "5m": "5 min", "15m": "15 min" };
const PERCENTILE_COLUMNS = ["p50", "p90", "p95", "p99", "max"] as const;
// Event types beyond this many are not listed: a topic can carry hundreds, and a table that long
// is read by search, not by eye.
const EVENT_TYPES_LISTED = 50;

const HEAD_CELL = "px-3 py-1.5 font-normal whitespace-nowrap";

/**
 * Latency of each hop of an event's journey over sliding windows of 1, 5 and 15 minutes, and per
 * event type over 5 minutes. Percentiles of a window without samples are "—", never 0.
 */
export function LatencyTables() {
  const snapshot = useMetricsSnapshot();
  return (
    <section aria-labelledby="latency-heading" className="space-y-2">
      <h2 id="latency-heading" className="text-sm font-medium text-ink">
        Latency
      </h2>
      <div className="grid items-start gap-3 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <HopLatencyTable snapshot={snapshot} />
        <EventTypeLatencyTable snapshot={snapshot} />
      </div>
    </section>
  );
}

function Panel({ title, note, children }: { title: string; note: string; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded border border-line bg-surface">
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 border-b border-line px-3 py-1.5">
        <h3 className="text-xs font-medium text-ink">{title}</h3>
        <p className="text-[11px] text-ink-faint">{note}</p>
      </header>
      {children}
    </div>
  );
}

function HopLatencyTable({ snapshot }: { snapshot: MetricsSnapshot | undefined }) {
  return (
    <Panel title="Per hop" note={samplingNote("sliding windows", snapshot)}>
      <div className="overflow-x-auto">
        <table className="w-full text-xs" data-testid="latency-table">
          <thead>
            <tr className="border-b border-line text-left text-[11px] text-ink-muted">
              <th className={HEAD_CELL}>Hop</th>
              <th className={HEAD_CELL}>Window</th>
              <th className={`${HEAD_CELL} text-right`}>Samples</th>
              {PERCENTILE_COLUMNS.map((column) => (
                <th key={column} className={`${HEAD_CELL} text-right`}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="tabular">
            {HOPS.map((hop) =>
              WINDOWS.map((window, index) => {
                const percentiles = snapshot?.latency.hops[hop][window];
                return (
                  <tr
                    key={`${hop}-${window}`}
                    data-testid={`latency-${hop}-${window}`}
                    data-count={percentiles?.count ?? ""}
                    data-p50={percentiles?.p50 ?? ""}
                    data-p99={percentiles?.p99 ?? ""}
                    className={`hover:bg-surface-raised ${index === 0 ? "border-t border-line" : ""}`}
                  >
                    {index === 0 ? (
                      <th scope="rowgroup" rowSpan={WINDOWS.length} className="px-3 py-1 text-left align-top font-normal text-ink">
                        {HOP_LABELS[hop]}
                      </th>
                    ) : null}
                    <td className="px-3 py-1 whitespace-nowrap text-ink-muted">{WINDOW_LABELS[window]}</td>
                    <PercentileCells percentiles={percentiles} loading={!snapshot} withCount />
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function PercentileCells({ percentiles, loading, withCount }: { percentiles: Percentiles | undefined; loading: boolean; withCount?: boolean }) {
  return (
    <>
      {withCount ? (
        <td className="px-3 py-1 text-right text-ink-muted">{loading ? <Skeleton className="ml-auto h-3 w-10" /> : formatCount(percentiles?.count ?? null)}</td>
      ) : null}
      {PERCENTILE_COLUMNS.map((column) => (
        <td key={column} className={`px-3 py-1 text-right whitespace-nowrap ${column === "p99" ? "font-medium text-ink" : "text-ink"}`}>
          {loading ? <Skeleton className="ml-auto h-3 w-12" /> : formatLatency(percentiles?.[column])}
        </td>
      ))}
    </>
  );
}

/**
 * One row per event type, p50 and p99 of each hop over 5 minutes (the rest of the percentiles on
 * hover): which event type is slow shows at a glance.
 */
function EventTypeLatencyTable({ snapshot }: { snapshot: MetricsSnapshot | undefined }) {
  const byEventType = snapshot?.latency.byEventType;
  const eventTypes = byEventType ? Object.keys(byEventType).sort() : [];
  const listed = eventTypes.slice(0, EVENT_TYPES_LISTED);
  return (
    <Panel title="Per event type" note={samplingNote("last 5 min · p50 / p99", snapshot)}>
      {/* Bounded height: a topic with many event types scrolls here instead of pushing the page. */}
      <div className="max-h-[420px] overflow-auto">
        <table className="w-full text-xs" data-testid="latency-by-event-type">
          <thead className="sticky top-0 bg-surface">
            <tr className="border-b border-line text-left text-[11px] text-ink-muted">
              <th className={HEAD_CELL}>Event type</th>
              {HOPS.map((hop) => (
                <th key={hop} className={`${HEAD_CELL} text-right`}>
                  {HOP_LABELS[hop].replace(/ \(.*\)$/, "")}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="tabular">
            {!byEventType ? (
              [0, 1, 2].map((row) => (
                <tr key={row} className="border-t border-line">
                  {[0, 1, 2, 3, 4].map((cell) => (
                    <td key={cell} className="px-3 py-1">
                      <Skeleton className={cell === 0 ? "h-3 w-24" : "ml-auto h-3 w-16"} />
                    </td>
                  ))}
                </tr>
              ))
            ) : listed.length === 0 ? (
              <tr>
                <td colSpan={HOPS.length + 1} className="px-3 py-2 text-ink-faint">
                  No events measured in the last 5 minutes.
                </td>
              </tr>
            ) : (
              listed.map((eventType) => (
                <tr key={eventType} data-testid="latency-event-type-row" data-event-type={eventType} className="border-t border-line hover:bg-surface-raised">
                  <th scope="row" className="max-w-48 truncate px-3 py-1 text-left font-mono text-[11px] font-normal text-ink" title={eventType}>
                    {eventType}
                  </th>
                  {HOPS.map((hop) => {
                    const percentiles = byEventType[eventType]?.[hop];
                    return (
                      <td key={hop} className="px-3 py-1 text-right whitespace-nowrap text-ink" title={percentiles ? describePercentiles(percentiles) : undefined}>
                        {formatLatency(percentiles?.p50)} <span className="text-ink-faint">/</span> <span className="font-medium">{formatLatency(percentiles?.p99)}</span>
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
        {eventTypes.length > listed.length ? (
          <p className="border-t border-line px-3 py-1.5 text-[11px] text-ink-faint">
            {formatCount(eventTypes.length - listed.length)} more event types not listed (first {EVENT_TYPES_LISTED} alphabetically).
          </p>
        ) : null}
      </div>
    </Panel>
  );
}

/** Under a high rate the server decodes 1 event in K for latency: the tables say so. */
function samplingNote(note: string, snapshot: MetricsSnapshot | undefined): string {
  const every = snapshot?.tail.decodeEvery ?? 1;
  return every > 1 ? `${note} · sampled, 1 event in ${formatCount(every)}` : note;
}

function describePercentiles(percentiles: Percentiles): string {
  return [`${formatCount(percentiles.count)} samples`, ...PERCENTILE_COLUMNS.map((column) => `${column} ${formatLatency(percentiles[column])}`)].join(" · ");
}
