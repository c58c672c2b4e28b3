import type { AuditEntry } from "@/lib/contracts/audit";
import { Skeleton } from "@/components/overview/stat";
import { AUDIT_CELL, AuditEntryRow } from "./audit-entry-row";

const HEADINGS = ["Time (UTC)", "Actor", "Action", "Target", "Dry run", "Reason", "Rows", "Outcome", "Error"] as const;

/** Audit entries, newest first as the server pages them. */
export function AuditTable({ entries, emptyText }: { entries: readonly AuditEntry[] | null; emptyText: string }) {
  return (
    <div className="overflow-x-auto rounded border border-line bg-surface">
      <table className="w-full text-xs" data-testid="audit-entries" aria-busy={entries === null}>
        <thead>
          <tr className="border-b border-line text-left text-[11px] text-ink-muted">
            {HEADINGS.map((heading) => (
              <th key={heading} className={`${AUDIT_CELL} font-normal`}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries === null ? (
            <tr>
              <td colSpan={HEADINGS.length} className="px-2 py-2">
                <Skeleton className="h-16 w-full" />
              </td>
            </tr>
          ) : entries.length === 0 ? (
            <tr>
              <td colSpan={HEADINGS.length} data-testid="audit-empty" className="px-2 py-3 text-ink-faint">
                {emptyText}
              </td>
            </tr>
          ) : (
            entries.map((entry) => <AuditEntryRow key={entry.id} entry={entry} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
