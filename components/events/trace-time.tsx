import { formatAge, formatLocalTimestamp, formatUtcTimestamp } from "@/lib/format/timestamp";

/**
 * A time of the trace in full: UTC, the browser's clock (unless the browser's clock is UTC at that
 * time: the same time twice says nothing), and how long ago.
 */
export function TraceTime({ time, now }: { time: string | null; now: number }) {
  if (time === null) return <span className="text-ink-faint">—</span>;
  const localIsUtc = new Date(time).getTimezoneOffset() === 0;
  return (
    <span className="tabular" title={`as stored: ${time}`}>
      <span className="text-ink">{formatUtcTimestamp(time)}</span>
      {localIsUtc ? null : <span className="text-ink-muted"> · {formatLocalTimestamp(time)}</span>}
      {Number.isNaN(Date.parse(time)) ? null : <span className="text-ink-faint"> · {formatAge(now - Date.parse(time))} ago</span>}
    </span>
  );
}
