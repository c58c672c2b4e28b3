import type { ActionKind } from "@/lib/contracts/outbox";

/**
 * React Query keys of the outbox domain. Dry runs have a root of their own: the server audits them,
 * so invalidating "everything outbox" after an action must not run them again.
 */
export const outboxKeys = {
  all: ["outbox"] as const,
  rowPages: () => [...outboxKeys.all, "rows"] as const,
  rows: (queryString: string) => [...outboxKeys.rowPages(), queryString] as const,
  failureGroups: () => [...outboxKeys.all, "failure-groups"] as const,
  action: (actionId: number) => [...outboxKeys.all, "actions", actionId] as const,
  /** One per dialog: `dialogId` is the dialog's idempotency key, new each time it opens. */
  dryRun: (kind: ActionKind, dialogId: string) => ["outbox-dry-run", kind, dialogId] as const,
};
