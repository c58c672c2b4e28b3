import type { MessageView } from "@/lib/contracts/messages";
import type { MessageOp } from "@/lib/contracts/message-filter";
import type { TailRecordKind } from "@/lib/contracts/tail";
import { keyText } from "@/lib/messages/filter";

/** What a list row shows of a full message: the same fields as a live tail summary. */
export interface MessageRowFields {
  op: MessageOp;
  kind: TailRecordKind;
  eventType: string | null;
  aggregateType: string | null;
  aggregateId: string | null;
  status: string | null;
  key: string | null;
}

const CHANGE_OPS: ReadonlySet<string> = new Set(["c", "u", "d", "r", "t"]);

export function messageRowFields(view: MessageView): MessageRowFields {
  const { decoded } = view;
  const key = keyText(decoded.key);
  if (decoded.kind === "change") {
    const { outbox } = decoded;
    return {
      op: CHANGE_OPS.has(decoded.op) ? (decoded.op as MessageOp) : "other",
      kind: "change",
      eventType: outbox.eventType ?? null,
      aggregateType: outbox.aggregateType ?? null,
      aggregateId: outbox.aggregateId ?? null,
      status: outbox.status ?? null,
      key,
    };
  }
  return { op: decoded.kind === "tombstone" ? "tombstone" : "other", kind: decoded.kind, eventType: null, aggregateType: null, aggregateId: null, status: null, key };
}
