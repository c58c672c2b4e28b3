import type { AuditEntry } from "@/lib/contracts/audit";
import { formatCount } from "@/lib/format/numbers";

/** "12 matched · 10 changed · 2 skipped · 0 failed"; failures in red. */
export function AuditCounts({ entry }: { entry: Pick<AuditEntry, "matched" | "changed" | "skipped" | "failed"> }) {
  return (
    <span className="tabular whitespace-nowrap text-ink-muted">
      <span className="text-ink">{formatCount(entry.matched)}</span> matched · <span className="text-ink">{formatCount(entry.changed)}</span> changed ·{" "}
      {formatCount(entry.skipped)} skipped · <span className={entry.failed > 0 ? "text-down" : undefined}>{formatCount(entry.failed)}</span> failed
    </span>
  );
}

/** Who acted: the name, then how they were identified and their role. */
export function AuditActor({ entry }: { entry: Pick<AuditEntry, "actor" | "actorKind" | "role"> }) {
  return (
    <span className="whitespace-nowrap">
      <span className="text-ink">{entry.actor}</span>{" "}
      <span className="text-ink-faint">
        ({entry.actorKind}, {entry.role})
      </span>
    </span>
  );
}
