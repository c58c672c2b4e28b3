import type { MessageOp } from "@/lib/contracts/message-filter";
import type { TailRecordKind } from "@/lib/contracts/tail";

/** Words of each op as operators say them; Debezium's letters are in the tooltip and the data attributes. */
export const OP_LABELS: Readonly<Record<MessageOp, string>> = {
  c: "create",
  u: "update",
  d: "delete",
  r: "snapshot read",
  t: "truncate",
  tombstone: "tombstone",
  other: "not a change event",
};

const OP_TONE: Readonly<Record<MessageOp, string>> = {
  c: "border-up/40 text-up",
  u: "border-accent/50 text-accent",
  d: "border-down/50 text-down",
  r: "border-line-strong text-ink-muted",
  t: "border-pending/50 text-pending",
  tombstone: "border-dashed border-line-strong text-ink-faint",
  other: "border-pending/40 text-pending",
};

const SHORT_LABELS: Readonly<Record<MessageOp, string>> = { ...OP_LABELS, r: "snapshot", other: "other" };

/** An op as a small badge; a record that is not a change event is named by what it is (json, text, binary). */
export function OpBadge({ op, kind, long = false }: { op: MessageOp; kind?: TailRecordKind; long?: boolean }) {
  const label = op === "other" && kind && kind !== "change" && !long ? kind : long ? OP_LABELS[op] : SHORT_LABELS[op];
  return (
    <span
      data-op={op}
      title={op === "other" ? OP_LABELS.other : `${OP_LABELS[op]}${op === "tombstone" ? "" : ` (op "${op}")`}`}
      className={`inline-block rounded-sm border px-1.5 py-px text-[11px] leading-4 font-medium whitespace-nowrap ${OP_TONE[op]}`}
    >
      {label}
    </span>
  );
}
