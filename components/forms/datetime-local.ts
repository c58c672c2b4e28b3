import { formatUtcOffset } from "@/lib/format/timestamp";

/**
 * `<input type="datetime-local">` holds a wall-clock time without a zone ("2026-01-31T12:00"); the
 * API takes ISO 8601 with an offset. The browser's zone is the one the operator typed in, so it is
 * the offset written, and the URL (which is shared) then means the same instant for everyone.
 */

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** "2026-01-31T12:00" (browser zone) → "2026-01-31T12:00:00+01:00"; null for an empty or malformed value. */
export function localInputToIso(value: string): string | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = "0", millis = "0"] = match;
  const date = new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(millis.padEnd(3, "0")));
  // new Date rolls "02-31" over into March: such a value is not a time the operator meant.
  if (Number.isNaN(date.getTime()) || date.getDate() !== Number(day) || date.getMonth() !== Number(month) - 1) return null;
  const fraction = date.getMilliseconds() === 0 ? "" : `.${pad(date.getMilliseconds(), 3)}`;
  return `${dateTimeOf(date)}:${pad(date.getSeconds())}${fraction}${formatUtcOffset(-date.getTimezoneOffset())}`;
}

/** An ISO time (any offset) → the browser-zone value a datetime-local input shows; "" when it is no time. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const seconds = date.getSeconds() === 0 && date.getMilliseconds() === 0 ? "" : `:${pad(date.getSeconds())}`;
  return `${dateTimeOf(date)}${seconds}`;
}

function dateTimeOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
