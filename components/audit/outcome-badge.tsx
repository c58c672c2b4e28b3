import type { AuditOutcome } from "@/lib/contracts/audit";

/** An action's state or an audit entry's outcome (the same four): running accent, succeeded green, cancelled amber, failed red. */
const OUTCOME_TONE: Readonly<Record<AuditOutcome, string>> = {
  running: "border-accent/50 text-accent",
  succeeded: "border-up/40 text-up",
  cancelled: "border-pending/50 text-pending",
  failed: "border-down/50 text-down",
};

export function OutcomeBadge({ outcome, testId }: { outcome: AuditOutcome; testId?: string }) {
  return (
    <span data-testid={testId} data-outcome={outcome} className={`inline-block rounded-sm border px-1.5 py-px text-[11px] font-medium whitespace-nowrap ${OUTCOME_TONE[outcome]}`}>
      {outcome}
    </span>
  );
}
