import { formatAge, formatLocalTimestamp, formatUtcTimestamp } from "@/lib/format/timestamp";

/** A time of the trace in full: UTC, the browser's clock, and how long ago. */
export function TraceTime({ time, now }: { time: string | null; now: number }) {
  if (time === null) return <span className="text-ink-faint">—</span>;
  return (
    <span className="tabular" title={`as stored: ${time}`}>
      <span className="text-ink">{formatUtcTimestamp(time)}</span>
      <span className="text-ink-muted"> · {formatLocalTimestamp(time)}</span>
      {Number.isNaN(Date.parse(time)) ? null : <span className="text-ink-faint"> · {formatAge(now - Date.parse(time))} ago</span>}
    </span>
  );
}
