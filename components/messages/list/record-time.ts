import { formatLocalTimestamp, formatUtcTimestamp } from "@/lib/format/timestamp";

/** "12:04:05.123": a list's time column, UTC like the rest of the dashboard, to the millisecond. */
export function formatListTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? "—" : date.toISOString().slice(11, 23);
}

/** The whole time on hover: the date in UTC, and on the browser's clock. */
export function listTimeTitle(epochMs: number): string {
  return `${formatUtcTimestamp(epochMs)}\n${formatLocalTimestamp(epochMs)}`;
}
