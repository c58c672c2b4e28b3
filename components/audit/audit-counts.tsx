import { Fragment } from "react";
import type { AuditEntry } from "@/lib/contracts/audit";
import { formatCount } from "@/lib/format/numbers";
import { countParts } from "./count-parts";

/**
 * "12 matched · 10 changed · 2 skipped · 0 failed", in the words of the entry's action (see
 * {@link countParts}); failures in red. Wraps between counts, never inside one.
 */
export function AuditCounts({ entry }: { entry: Pick<AuditEntry, "action" | "matched" | "changed" | "skipped" | "failed"> }) {
  const parts = countParts(entry);
  if (parts.length === 0) return <span className="text-ink-faint" title="This action changes no rows">—</span>;
  return (
    <span className="tabular text-ink-muted" data-testid="audit-counts">
      {parts.map((part, index) => (
        <Fragment key={part.label}>
          {index > 0 ? " · " : null}
          <span className={`whitespace-nowrap ${part.alert ? "text-down" : ""}`} data-count={part.label} data-value={part.value ?? ""}>
            <span className={part.alert ? undefined : "text-ink"}>{formatCount(part.value)}</span> {part.label}
          </span>
        </Fragment>
      ))}
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
