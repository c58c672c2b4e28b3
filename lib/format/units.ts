import { formatByteRate, formatBytes, formatCompact, formatCount, formatLatency, formatRate, MISSING } from "./numbers";
import { formatDuration } from "./duration";

/** The kinds of quantity a chart's axis or a table column carries. */
export type ValueUnit = "count" | "rate" | "bytes" | "byteRate" | "duration";

/** Full value, for tooltips and tables: "12,345", "12.3/s", "1.5 MiB", "250 ms". */
export function formatValue(unit: ValueUnit, value: number | null | undefined): string {
  switch (unit) {
    case "count":
      return formatCount(value);
    case "rate":
      return formatRate(value);
    case "bytes":
      return formatBytes(value);
    case "byteRate":
      return formatByteRate(value);
    case "duration":
      return formatLatency(value);
  }
}

/** Short value for an axis tick: "1.2k", "40/s", "1.5 MiB", "2 s". */
export function formatTick(unit: ValueUnit, value: number): string {
  if (!Number.isFinite(value)) return MISSING;
  switch (unit) {
    case "count":
      return formatCompact(value);
    case "rate":
      return `${formatCompact(value)}/s`;
    case "bytes":
      return formatBytes(value);
    case "byteRate":
      return formatByteRate(value);
    case "duration":
      return formatDuration(value);
  }
}
