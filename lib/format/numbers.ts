import { formatDuration } from "./duration";

/**
 * Numbers as the dashboard shows them. Every formatter takes null (and undefined) for "unknown"
 * and answers "—": an unknown shown as 0 would be a wrong number.
 *
 * The locale is fixed to en-US so the text rendered on the server and in the browser agree, and so
 * every operator reads the same thousands separator.
 */

/** What is shown where a value is unknown. */
export const MISSING = "—";
/** Prefix of a value that is an estimate (e.g. PostgreSQL's reltuples), not a count. */
export const ESTIMATE_MARK = "≈";

const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const TWO_DECIMALS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ONE_DECIMAL = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function isKnown(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** "12,345", "≈1,200,000" for an estimate, "—" when unknown. */
export function formatCount(value: number | null | undefined, options: { estimate?: boolean } = {}): string {
  if (!isKnown(value)) return MISSING;
  return `${options.estimate ? ESTIMATE_MARK : ""}${INTEGER.format(value)}`;
}

/**
 * "0/s", "0.04/s", "0.4/s", "12.3/s", "1,235/s". Decimals below 100 so a slow, steady rate (one event
 * every 30 s) does not read as 0, and a fixed one decimal above 0.1 so the text keeps its width from
 * one second to the next.
 */
export function formatRate(perSecond: number | null | undefined): string {
  if (!isKnown(perSecond) || perSecond < 0) return MISSING;
  if (perSecond === 0) return "0/s";
  if (perSecond < 0.01) return "<0.01/s";
  if (perSecond < 0.1) return `${TWO_DECIMALS.format(perSecond)}/s`;
  return `${perSecond < 100 ? ONE_DECIMAL.format(perSecond) : INTEGER.format(perSecond)}/s`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** "0 B", "512 B", "1.5 KiB", "12.3 MiB", "1.02 GiB": binary units, three significant digits. */
export function formatBytes(bytes: number | null | undefined): string {
  if (!isKnown(bytes) || bytes < 0) return MISSING;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // Number() drops trailing zeros: "2 KiB", "1.5 KiB"; toPrecision(3) keeps three significant digits.
  const digits = Number(value.toPrecision(3));
  // 1023.9 KiB rounds to "1.02e+3" at three digits; show it in the next unit instead.
  if (digits >= 1000 && unit < BYTE_UNITS.length - 1) return `${Number((value / 1024).toPrecision(3))} ${BYTE_UNITS[unit + 1]}`;
  return `${digits} ${BYTE_UNITS[unit]}`;
}

/** "1.5 MiB/s". */
export function formatByteRate(bytesPerSecond: number | null | undefined): string {
  const bytes = formatBytes(bytesPerSecond);
  return bytes === MISSING ? MISSING : `${bytes}/s`;
}

/** A duration that may be unknown: "—" for null, otherwise as {@link formatDuration}. */
export function formatLatency(ms: number | null | undefined): string {
  return isKnown(ms) ? formatDuration(ms) : MISSING;
}

/**
 * "950", "1.2k", "12k", "3.4M": short enough for a chart's axis, where the full value is one hover
 * away in the tooltip.
 */
export function formatCompact(value: number | null | undefined): string {
  if (!isKnown(value)) return MISSING;
  const magnitude = Math.abs(value);
  if (magnitude < 1000) return Number(value.toPrecision(3)).toString();
  const steps: readonly [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of steps) {
    if (magnitude >= size) {
      const scaled = value / size;
      return `${Math.abs(scaled) < 10 ? Number(scaled.toFixed(1)) : Math.round(scaled)}${suffix}`;
    }
  }
  return String(value);
}

/**
 * A Kafka offset ("1234567", a string because offsets are 64-bit) with thousands separators:
 * "1,234,567". Digits only are grouped; anything else is shown as it came.
 */
export function formatOffset(offset: string | null | undefined): string {
  if (offset === null || offset === undefined || offset === "") return MISSING;
  if (!/^\d+$/.test(offset)) return offset;
  return offset.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
