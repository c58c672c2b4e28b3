import type { ActionKind, OutboxFilter } from "@/lib/contracts/outbox";
import { formatCount } from "@/lib/format/numbers";
import { WRITE_BUTTON_CLASS } from "@/components/forms/field-styles";
import type { ActionChoice } from "./action-target";

/**
 * Retry or replay the selected rows (their ids) or every row the filter matches (the filter, on
 * every page; the dry run says how many). Only the kinds the session may perform are offered.
 */
export function OutboxBulkActions(props: { selectedIds: readonly string[]; filter: OutboxFilter; allowed: readonly ActionKind[]; onAction: (choice: ActionChoice) => void }) {
  if (props.allowed.length === 0) return null;
  const count = props.selectedIds.length;
  return (
    <div className="flex flex-wrap items-center gap-1.5 text-xs" data-testid="outbox-bulk-actions">
      <span data-testid="outbox-selected-count" data-count={count} className="tabular text-ink-muted">
        {formatCount(count)} selected
      </span>
      {props.allowed.map((kind) => (
        <button
          key={`${kind}-selected`}
          type="button"
          data-testid={`${kind}-selected`}
          disabled={count === 0}
          onClick={() => props.onAction({ kind, target: { eventIds: [...props.selectedIds] } })}
          className={WRITE_BUTTON_CLASS}
        >
          {kind === "retry" ? "Retry" : "Replay"} selected
        </button>
      ))}
      <span aria-hidden className="mx-1 h-4 border-l border-line" />
      {props.allowed.map((kind) => (
        <button
          key={`${kind}-matching`}
          type="button"
          data-testid={`${kind}-matching`}
          onClick={() => props.onAction({ kind, target: { filter: props.filter } })}
          className={WRITE_BUTTON_CLASS}
        >
          {kind === "retry" ? "Retry" : "Replay"} all matching
        </button>
      ))}
    </div>
  );
}
