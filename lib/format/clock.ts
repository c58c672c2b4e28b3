/**
 * "16:04:05" from epoch milliseconds, in UTC like {@link formatClockUtc}: chart axes and the
 * server's logs use one clock, and the server-rendered text matches the hydrated one.
 */
export function formatClockTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return "—";
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return "—";
  return date.toISOString().slice(11, 19);
}
