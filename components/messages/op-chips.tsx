import type { MessageOp } from "@/lib/contracts/message-filter";
import { OP_LABELS } from "./op-badge";
import { FILTER_OPS } from "./url-state";

const CHIP_LABELS: Readonly<Record<MessageOp, string>> = { c: "create", u: "update", d: "delete", r: "snapshot", t: "truncate", tombstone: "tombstone", other: "other" };

/** Toggles for the ops a filter keeps; none pressed is every op. */
export function OpChips({ selected, onChange, testId }: { selected: readonly MessageOp[]; onChange: (ops: MessageOp[]) => void; testId: string }) {
  return (
    <div role="group" aria-label="Ops" data-testid={testId} data-selected={selected.join(",")} className="flex flex-wrap gap-1">
      {FILTER_OPS.map((op) => {
        const pressed = selected.includes(op);
        return (
          <button
            key={op}
            type="button"
            aria-pressed={pressed}
            data-op={op}
            title={OP_LABELS[op]}
            onClick={() => onChange(pressed ? selected.filter((other) => other !== op) : FILTER_OPS.filter((other) => other === op || selected.includes(other)))}
            className={`rounded-sm border px-1.5 py-0.5 text-[11px] whitespace-nowrap ${pressed ? "border-accent bg-accent/15 text-ink" : "border-line-strong text-ink-muted hover:text-ink"}`}
          >
            {CHIP_LABELS[op]}
          </button>
        );
      })}
    </div>
  );
}
