/**
 * An outbox row's status: pending amber, processed green, failed red. A raw value the server could
 * not map to one of the three (the contract passes it through) is shown as it is, in grey.
 */
const STATUS_TONE: Readonly<Record<string, string>> = {
  pending: "border-pending/50 text-pending",
  processed: "border-up/40 text-up",
  failed: "border-down/50 text-down",
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`inline-block rounded-sm border px-1.5 py-px text-[11px] font-medium whitespace-nowrap ${STATUS_TONE[status] ?? "border-line-strong text-ink-muted"}`}
    >
      {status}
    </span>
  );
}
