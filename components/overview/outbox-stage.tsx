import type { OutboxStats } from "@/lib/contracts/metrics";
import { formatCount, formatLatency, formatRate } from "@/lib/format/numbers";
import { OUTBOX_STATUS, countOf, otherCounts, type StatusCount } from "./outbox-counts";
import { Stat, StatGrid } from "./stat";

/** The outbox table: backlog by status, how old the oldest pending row is, and the rates. */
/** Failures are rare: their rate is shown averaged over this window, where one a second would mostly read 0. */
export const FAILING_WINDOW_MS = 60_000;

export function OutboxStageBody({ outbox, failingPerSec }: { outbox: OutboxStats; failingPerSec: number | null }) {
  const pending = countOf(outbox, OUTBOX_STATUS.pending);
  const failed = countOf(outbox, OUTBOX_STATUS.failed);
  const processed = countOf(outbox, OUTBOX_STATUS.processed);
  const others = otherCounts(outbox);
  const retried = outbox.retryDistribution.filter((bucket) => bucket.retryCount > 0 && bucket.count > 0);

  return (
    <>
      <StatGrid columns={3}>
        <CountStat label="Pending" testId="outbox-pending" entry={pending} />
        <CountStat label="Failed" testId="outbox-failed" entry={failed} tone={failed && failed.count > 0 ? "text-down" : undefined} />
        <CountStat label="Processed" testId="outbox-processed" entry={processed} />
        <Stat label="Inserts" testId="outbox-insert-rate" value={outbox.insertRate}>
          {formatRate(outbox.insertRate)}
        </Stat>
        <Stat label="Processing" testId="outbox-processed-rate" value={outbox.processedRate}>
          {formatRate(outbox.processedRate)}
        </Stat>
        <Stat
          label="Failing (1 min)"
          testId="outbox-failed-rate"
          value={failingPerSec}
          tone={failingPerSec ? "text-down" : undefined}
          title="Rows that failed per second, averaged over the last minute"
        >
          {formatRate(failingPerSec)}
        </Stat>
        <Stat label="Oldest pending" testId="outbox-oldest-pending" value={outbox.oldestPendingAgeMs} title="Age of the oldest row still pending">
          {/* null means nothing is pending when the pending count is known, and unknown otherwise. */}
          {outbox.oldestPendingAgeMs === null && pending?.count === 0 ? <span className="text-ink-faint">none</span> : formatLatency(outbox.oldestPendingAgeMs)}
        </Stat>
      </StatGrid>
      {others.length > 0 || retried.length > 0 ? (
        <dl className="space-y-0.5 border-t border-line pt-2 text-[11px]">
          {others.length > 0 ? (
            <div className="flex gap-2">
              <dt className="shrink-0 text-ink-muted">Other statuses</dt>
              <dd className="tabular min-w-0 text-ink">
                {others.map((entry) => `${entry.status} ${formatCount(entry.count, { estimate: !entry.exact })}`).join(" · ")}
              </dd>
            </div>
          ) : null}
          {retried.length > 0 ? (
            <div className="flex gap-2" title="Pending and failed rows by retry_count">
              <dt className="shrink-0 text-ink-muted">Retried</dt>
              <dd className="tabular min-w-0 text-ink">{retried.map((bucket) => `${bucket.retryCount}× ${formatCount(bucket.count)}`).join(" · ")}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
    </>
  );
}

function CountStat({ label, testId, entry, tone }: { label: string; testId: string; entry: StatusCount | null; tone?: string }) {
  const text = formatCount(entry?.count ?? null, { estimate: entry ? !entry.exact : false });
  return (
    <Stat
      label={label}
      testId={testId}
      value={entry?.count ?? null}
      estimate={entry ? !entry.exact : undefined}
      tone={tone}
      title={entry && !entry.exact ? `${text}: an estimate from PostgreSQL's statistics (reltuples), not a count` : text}
    >
      {text}
    </Stat>
  );
}
