import { formatCount } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";
import { exportHref, type ExportRange } from "./export-links";

/**
 * "Export JSON Lines" / "Export CSV" of a range on the server: plain links, so the browser streams
 * the file to disk itself. Null range: nothing to export yet.
 */
export function ServerExportLinks({ range, note }: { range: ExportRange | null; note?: string }) {
  const disabled = "pointer-events-none opacity-50";
  const title = range ? `At most ${formatCount(range.limit)} records${note ? `; ${note}` : ""}` : "Nothing to export yet";
  return (
    <span className="inline-flex items-center gap-1.5">
      <a
        data-testid="export-jsonl"
        href={range ? exportHref(range, "jsonl") : undefined}
        aria-disabled={!range}
        download
        title={title}
        className={`${BUTTON_CLASS} ${range ? "" : disabled}`}
      >
        Export JSON Lines
      </a>
      <a data-testid="export-csv" href={range ? exportHref(range, "csv") : undefined} aria-disabled={!range} download title={title} className={`${BUTTON_CLASS} ${range ? "" : disabled}`}>
        Export CSV
      </a>
    </span>
  );
}
