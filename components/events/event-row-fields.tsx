import type { ReactNode } from "react";
import type { EventTrace } from "@/lib/contracts/events";
import { formatCount } from "@/lib/format/numbers";
import { StatusBadge } from "@/components/outbox/status-badge";
import { TraceTime } from "./trace-time";

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2 border-b border-line px-3 py-1 last:border-0">
      <dt className="text-[11px] text-ink-muted">{label}</dt>
      <dd data-testid={testId} className="min-w-0 text-xs break-words text-ink">
        {children}
      </dd>
    </div>
  );
}

/** The outbox row as stored: identity, status, retries and its times. */
export function EventRowFields({ row, now }: { row: EventTrace["row"]; now: number }) {
  return (
    <dl data-testid="trace-row" data-status={row.status} className="rounded border border-line bg-surface">
      <Field label="Event id">
        <code className="font-mono">{row.eventId}</code>
      </Field>
      <Field label="Status">
        <StatusBadge status={row.status} testId="trace-status" />
      </Field>
      <Field label="Sequence">
        <span className="tabular">{row.sequence}</span>
      </Field>
      <Field label="Event type">
        <code className="font-mono">{row.eventType}</code>
      </Field>
      <Field label="Aggregate">
        <code className="font-mono">
          {row.aggregateType} {row.aggregateId}
        </code>
      </Field>
      <Field label="Retries" testId="trace-retry-count">
        <span className="tabular">{formatCount(row.retryCount)}</span>
      </Field>
      <Field label="Created">
        <TraceTime time={row.createdAt} now={now} />
      </Field>
      <Field label="Updated">
        <TraceTime time={row.updatedAt} now={now} />
      </Field>
      <Field label="Processed">
        <TraceTime time={row.processedAt} now={now} />
      </Field>
      <Field label="Last error" testId="trace-last-error">
        {row.lastError ? <span className="font-mono text-[11px] whitespace-pre-wrap text-down">{row.lastError}</span> : <span className="text-ink-faint">—</span>}
      </Field>
    </dl>
  );
}
