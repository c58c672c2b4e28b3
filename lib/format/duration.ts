/** "3 ms", "1.24 s", "2 min 5 s": latencies and ages as operators read them. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  // Number() drops trailing zeros: "2 s", "1.5 s", "1.24 s".
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  // Rounded to the second first, so 119.6 s reads "2 min", never "1 min 60 s".
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/**
 * "16:04:05 UTC" from an ISO timestamp. Always UTC so the server-rendered and the hydrated text
 * agree whatever the browser's time zone, and so operators comparing with server logs see one clock.
 */
export function formatClockUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(11, 19)} UTC`;
}
