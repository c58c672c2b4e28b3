import type { AuditEntry } from "@/lib/contracts/audit";

/** One count of an audit entry, as shown: "12 changed". `alert` marks a count that went wrong. */
export interface CountPart {
  value: number | null;
  label: string;
  alert: boolean;
}

/**
 * An entry's counts in the words of its action: a retry changes rows and skips those that
 * changed meanwhile; a replay or re-produce produces records (and skips none, so a zero is left
 * out); a connector restart counts no rows at all (an empty list).
 */
export function countParts(entry: Pick<AuditEntry, "action" | "matched" | "changed" | "skipped" | "failed">): CountPart[] {
  const failed: CountPart = { value: entry.failed, label: "failed", alert: entry.failed > 0 };
  const skipped: CountPart = { value: entry.skipped, label: "skipped", alert: false };
  switch (entry.action) {
    case "connector:restart":
      return [];
    case "outbox:retry":
      return [{ value: entry.matched, label: "matched", alert: false }, { value: entry.changed, label: "changed", alert: false }, skipped, failed];
    case "outbox:replay":
    case "message:reproduce":
      return [{ value: entry.matched, label: "matched", alert: false }, { value: entry.changed, label: "produced", alert: false }, ...(entry.skipped > 0 ? [skipped] : []), failed];
  }
}
