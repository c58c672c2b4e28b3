import type { AuditPage } from "@/lib/contracts/audit";

/** What an empty audit list says: a filter that matched nothing is not a log with nothing in it. */
export function emptyAuditText(filtered: boolean, scope: AuditPage["scope"] | null): string {
  if (filtered) return "No entry matches this filter.";
  return scope === "own"
    ? "You have taken no action yet: your retries, replays and connector restarts appear here."
    : "No action has been taken yet: retries, replays and connector restarts appear here.";
}
