import { formatDuration } from "./duration";
import { MISSING } from "./numbers";

/**
 * Points in time as the outbox pages show them. The exact time is always UTC first (operators
 * compare it with server and database logs), with the browser's local time beside it; an age
 * ("3 min ago") is what a table column shows, the exact times are one hover away.
 */

function toDate(time: string | number): Date | null {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? null : date;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** "2026-01-31 12:04:05.123 UTC" from an ISO string or epoch ms; "—" when it is no time. */
export function formatUtcTimestamp(time: string | number): string {
  const date = toDate(time);
  if (!date) return MISSING;
  return `${date.toISOString().slice(0, 23).replace("T", " ")} UTC`;
}

/**
 * "2026-01-31 12:04:05.123 → 12:04:05.180 UTC": two times, the day written once when they share
 * it (UTC). Either end may be missing ("—"); then both are written in full.
 */
export function formatUtcSpan(from: string | number | null, to: string | number | null): string {
  const start = from === null ? MISSING : formatUtcTimestamp(from);
  const end = to === null ? MISSING : formatUtcTimestamp(to);
  // "YYYY-MM-DD " starts both when they share the day; the first then drops its " UTC".
  if (start !== MISSING && end !== MISSING && start.slice(0, 11) === end.slice(0, 11)) return `${start.slice(0, -4)} → ${end.slice(11)}`;
  return `${start} → ${end}`;
}

/** "+01:00" for a UTC offset of 60 minutes (getTimezoneOffset's sign is the other way round). */
export function formatUtcOffset(offsetMinutesEastOfUtc: number): string {
  const sign = offsetMinutesEastOfUtc < 0 ? "-" : "+";
  const magnitude = Math.abs(offsetMinutesEastOfUtc);
  return `${sign}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}`;
}

/** "2026-01-31 13:04:05 UTC+01:00": the same time on the browser's clock, with its offset so it cannot be mistaken for UTC. */
export function formatLocalTimestamp(time: string | number): string {
  const date = toDate(time);
  if (!date) return MISSING;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${clock} UTC${formatUtcOffset(-date.getTimezoneOffset())}`;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * "850 ms", "12.3 s", "4 min 5 s", "3 h 12 min", "2 d 5 h": how long ago, in the two largest units.
 * Below an hour it is {@link formatDuration}; above, that would read "1440 min", so hours and days.
 * A negative age (a browser clock behind the server's) reads as 0 rather than as a dash: the time
 * is known, it is just very recent.
 */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return MISSING;
  const age = Math.max(0, ms);
  if (age < HOUR_MS) return formatDuration(age);
  if (age < DAY_MS) {
    const minutes = Math.floor(age / 60_000);
    const rest = minutes % 60;
    return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
  }
  const hours = Math.floor(age / HOUR_MS);
  const rest = hours % 24;
  return rest === 0 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours / 24)} d ${rest} h`;
}
