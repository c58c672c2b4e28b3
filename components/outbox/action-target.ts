import type { ActionKind, FailureGroupKey, OutboxFilter } from "@/lib/contracts/outbox";

/** Exactly one of the contract's targets: explicit ids, a filter, or a failure group. */
export type ActionTarget = { eventIds: string[] } | { filter: OutboxFilter } | { group: FailureGroupKey };

/** What an action dialog is opened for. */
export interface ActionChoice {
  kind: ActionKind;
  target: ActionTarget;
}

export const ACTION_LABELS: Readonly<Record<ActionKind, { verb: string; running: string; explanation: string }>> = {
  retry: {
    verb: "Retry",
    running: "Retrying",
    explanation: "Sets the matched failed rows back to pending, so they are processed again. Rows that are no longer failed are skipped.",
  },
  replay: {
    verb: "Replay",
    running: "Replaying",
    explanation: "Publishes the matched rows' events to Kafka again. Consumers receive them a second time; the records carry a replay id.",
  },
};
