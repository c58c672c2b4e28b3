import type { StageHealth, StageStatus } from "@/lib/contracts/metrics";
import { formatDuration } from "@/lib/format/duration";

/**
 * Colours of a stage's health, after Burrow: OK green, WARN amber, STALL orange, STOP red,
 * UNKNOWN grey. Class names are written out whole so Tailwind finds them.
 */
export const STAGE_TONE: Record<StageStatus, { dot: string; text: string; border: string; wash: string }> = {
  OK: { dot: "bg-up", text: "text-up", border: "border-up/40", wash: "bg-up/5" },
  WARN: { dot: "bg-pending", text: "text-pending", border: "border-pending/50", wash: "bg-pending/5" },
  STALL: { dot: "bg-orange-400", text: "text-orange-400", border: "border-orange-400/50", wash: "bg-orange-400/5" },
  STOP: { dot: "bg-down", text: "text-down", border: "border-down/50", wash: "bg-down/10" },
  UNKNOWN: { dot: "bg-unknown", text: "text-ink-muted", border: "border-line-strong", wash: "" },
};

export function StageStatusBadge({ status }: { status: StageStatus }) {
  const tone = STAGE_TONE[status];
  return (
    <span className={`inline-flex shrink-0 items-center gap-1.5 rounded-sm border px-1.5 py-px text-[11px] font-semibold tracking-wide ${tone.border} ${tone.text}`}>
      <span aria-hidden className={`size-1.5 shrink-0 rounded-full ${tone.dot}`} />
      {status}
    </span>
  );
}

/**
 * The rule that decided a status, and for how long it has held. `now` is the snapshot's time, not
 * the browser's clock: both come from the server, so a skewed browser clock cannot make it wrong.
 */
export function StageRule({ health, now }: { health: StageHealth; now: number }) {
  const held = now - health.since;
  return (
    <p data-testid="stage-rule" className={`text-xs leading-snug ${health.status === "OK" ? "text-ink-muted" : STAGE_TONE[health.status].text}`}>
      {health.rule}
      {held >= 1000 ? <span className="tabular text-ink-faint"> · for {formatDuration(held)}</span> : null}
    </p>
  );
}
