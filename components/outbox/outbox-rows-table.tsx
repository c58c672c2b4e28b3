import type { OutboxRow } from "@/lib/contracts/outbox";
import { Skeleton } from "@/components/overview/stat";
import { OutboxRowItem, ROW_CELL } from "./outbox-row";

/** Rows' selection, for those who may act on them. */
export interface RowSelection {
  selected: ReadonlySet<string>;
  onToggle: (eventId: string) => void;
  onToggleAll: () => void;
}

const HEADINGS = ["Created", "Event id", "Sequence", "Event type", "Aggregate", "Status", "Retries", "Last error"] as const;
const RIGHT_ALIGNED: ReadonlySet<string> = new Set(["Sequence", "Retries"]);
const SKELETON_ROWS = 8;

/** The page of rows as a table; `changed` rows flash (see OutboxRowItem). */
export function OutboxRowsTable(props: { rows: readonly OutboxRow[] | null; now: number; changed: ReadonlySet<string>; flashName: "a" | "b"; selection?: RowSelection }) {
  const { rows, selection } = props;
  const allSelected = rows !== null && rows.length > 0 && rows.every((row) => selection?.selected.has(row.eventId));
  const columns = HEADINGS.length + (selection ? 1 : 0);
  return (
    <div className="overflow-x-auto rounded border border-line bg-surface">
      <table className="w-full text-xs" data-testid="outbox-rows" aria-busy={rows === null}>
        <thead>
          <tr className="border-b border-line text-left text-[11px] text-ink-muted">
            {selection ? (
              <th className={`${ROW_CELL} w-px font-normal`}>
                <input
                  type="checkbox"
                  data-testid="outbox-select-page"
                  aria-label="Select every row on this page"
                  checked={allSelected}
                  disabled={rows === null || rows.length === 0}
                  onChange={selection.onToggleAll}
                  className="accent-accent"
                />
              </th>
            ) : null}
            {HEADINGS.map((heading) => (
              <th key={heading} className={`${ROW_CELL} font-normal ${RIGHT_ALIGNED.has(heading) ? "text-right" : ""}`}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows === null ? (
            Array.from({ length: SKELETON_ROWS }, (_, index) => (
              <tr key={index} className="border-b border-line last:border-0">
                <td colSpan={columns} className="px-2 py-1.5">
                  <Skeleton className="h-3.5 w-full" />
                </td>
              </tr>
            ))
          ) : rows.length === 0 ? (
            <tr>
              <td colSpan={columns} data-testid="outbox-rows-empty" className="px-2 py-3 text-ink-faint">
                No row matches this filter.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <OutboxRowItem
                key={row.eventId}
                row={row}
                now={props.now}
                flash={props.changed.has(row.eventId) ? props.flashName : null}
                selection={selection ? { selected: selection.selected.has(row.eventId), onToggle: selection.onToggle } : undefined}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
