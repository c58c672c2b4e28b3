import type { HealthReport, PipelineComponent } from "@/lib/contracts/health";
import { formatDuration } from "@/lib/format/duration";

/** What a pill shows: the component's status, or unknown when there is no trustworthy report. */
export type DisplayStatus = "up" | "down" | "unknown";

/**
 * `reportUnavailable`: the latest attempt to get a report failed (server unreachable) and no live
 * connection is pushing reports, so an old report must not pass for the current state.
 */
export function displayStatus(report: HealthReport | undefined, component: PipelineComponent, reportUnavailable: boolean): DisplayStatus {
  if (!report || reportUnavailable) return "unknown";
  return report.components[component].status;
}

/** The pill's tooltip: status, latency and, when down, why. */
export function describeComponent(label: string, report: HealthReport | undefined, component: PipelineComponent, status: DisplayStatus): string {
  if (status === "unknown" || !report) return `${label}: unknown (no current health report)`;
  const health = report.components[component];
  const parts = [`${label}: ${status}`, formatDuration(health.latencyMs)];
  if (health.error) parts.push(health.error);
  return parts.join(" · ");
}

/** Tailwind classes per status, shared by pills, badges and cards. */
export const STATUS_TONE: Record<DisplayStatus, { dot: string; text: string; border: string; label: string }> = {
  up: { dot: "bg-up", text: "text-up", border: "border-up/40", label: "UP" },
  down: { dot: "bg-down", text: "text-down", border: "border-down/50", label: "DOWN" },
  unknown: { dot: "bg-unknown", text: "text-ink-muted", border: "border-line-strong", label: "UNKNOWN" },
};

/** Connector and task states: RUNNING is healthy, FAILED is not, the rest are transitional or paused. */
export function connectorStateTone(state: string | null): string {
  if (state === "RUNNING") return "text-up";
  if (state === "FAILED") return "text-down";
  if (state === null) return "text-ink-faint";
  return "text-pending";
}
