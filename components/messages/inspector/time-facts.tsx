import { formatAge, formatLocalTimestamp, formatUtcTimestamp } from "@/lib/format/timestamp";

/** A time in full: UTC, the browser's clock, and how long before `now` (when the message was read). */
export function EpochTime({ ms, now, testId }: { ms: number | undefined; now: number; testId?: string }) {
  if (ms === undefined || !Number.isFinite(ms)) return <span className="text-ink-faint">—</span>;
  return (
    <span data-testid={testId} data-ms={ms} className="tabular">
      <span className="text-ink">{formatUtcTimestamp(ms)}</span>
      <span className="text-ink-muted"> · {formatLocalTimestamp(ms)}</span>
      <span className="text-ink-faint"> · {formatAge(now - ms)} ago</span>
    </span>
  );
}
