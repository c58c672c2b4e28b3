import { formatAge, formatLocalTimestamp, formatUtcTimestamp } from "@/lib/format/timestamp";

/**
 * "3 min ago", with the exact time in UTC and on the browser's clock on hover. `now` is the time
 * the data was read (the server's `asOf` where the answer has one), so ages do not tick between
 * two refreshes and a skewed browser clock cannot make them wrong.
 */
export function RelativeTime({ time, now, className }: { time: string; now: number; className?: string }) {
  const at = Date.parse(time);
  return (
    <time dateTime={time} title={exactTimeTitle(time)} className={className}>
      {Number.isNaN(at) ? time : `${formatAge(now - at)} ago`}
    </time>
  );
}

/** The tooltip of a time: UTC, local, and the text as stored (with its microseconds). */
export function exactTimeTitle(time: string): string {
  return `${formatUtcTimestamp(time)}\n${formatLocalTimestamp(time)}\nas stored: ${time}`;
}
