import { SEARCH_STOP_REASON_TEXT, type SearchProgress } from "@/lib/contracts/messages";
import { formatCount, formatLatency } from "@/lib/format/numbers";
import { BUTTON_CLASS } from "@/components/forms/field-styles";
import { describePositions, scannedFraction } from "./search-progress";

const STOP_TONE: Readonly<Record<string, string>> = {
  "range-end": "text-up",
  "max-scanned": "text-pending",
  "max-results": "text-pending",
  timeout: "text-pending",
  cancelled: "text-ink-muted",
  error: "text-down",
};

/** A search as it runs: how far through its range, what it found, how fast, and why it stopped. */
export function SearchProgressView({ progress, onCancel, cancelling }: { progress: SearchProgress; onCancel: (() => void) | null; cancelling: boolean }) {
  const fraction = scannedFraction(progress);
  const running = progress.state === "running";
  return (
    <div
      data-testid="search-progress"
      data-search-id={progress.searchId}
      data-state={progress.state}
      data-scanned={progress.scanned}
      data-matched={progress.matched}
      data-range-total={progress.rangeTotal}
      data-stop-reason={progress.stopReason ?? ""}
      className="space-y-1.5 rounded border border-line bg-surface px-3 py-2"
    >
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1 text-xs">
        <span className={`font-medium ${running ? "text-accent" : (STOP_TONE[progress.stopReason ?? ""] ?? "text-ink")}`}>
          {running ? "Searching…" : progress.stopReason ? `Done: ${SEARCH_STOP_REASON_TEXT[progress.stopReason]}` : "Done"}
        </span>
        <span className="tabular text-ink-muted">
          scanned <span className="text-ink">{formatCount(progress.scanned)}</span> of {formatCount(progress.rangeTotal)}
          {fraction !== null ? ` (${Math.floor(fraction * 100)}%)` : ""}
        </span>
        <span className="tabular text-ink-muted">
          matched <span data-testid="search-matched" className="text-ink">{formatCount(progress.matched)}</span>
        </span>
        <span className="tabular text-ink-muted">{formatCount(Math.round(progress.recordsPerSecond))} records/s</span>
        <span className="tabular text-ink-muted">elapsed {formatLatency(progress.elapsedMs)}</span>
        <span className="tabular min-w-0 truncate text-[11px] text-ink-faint" title="Next offset to read in each partition">
          at {describePositions(progress.positions)}
        </span>
        {running && onCancel ? (
          <button type="button" data-testid="search-cancel" disabled={cancelling} onClick={onCancel} className={`${BUTTON_CLASS} ml-auto`}>
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        ) : null}
      </div>
      <div
        role="progressbar"
        aria-label="Records scanned"
        aria-valuemin={0}
        aria-valuemax={progress.rangeTotal}
        aria-valuenow={progress.scanned}
        className="h-1.5 overflow-hidden rounded-sm bg-surface-raised"
      >
        <div
          className={`h-full transition-[width] duration-300 ${running ? "bg-accent" : progress.stopReason === "range-end" ? "bg-up/70" : "bg-ink-faint"}`}
          style={{ width: `${fraction === null ? (running ? 0 : 100) : Math.max(0.5, fraction * 100)}%` }}
        />
      </div>
      {progress.error ? (
        <p role="alert" data-testid="search-error" className="text-xs text-down">
          {progress.error}
        </p>
      ) : null}
    </div>
  );
}
