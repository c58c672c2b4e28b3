"use client";

import Link from "next/link";
import { ApiError } from "@/components/api/json-request";
import { useSession } from "@/components/auth/session";
import { ALERT_CLASS } from "@/components/forms/field-styles";
import { Skeleton } from "@/components/overview/stat";
import { StatusBadge } from "@/components/outbox/status-badge";
import { EventActionButtons } from "./event-action-buttons";
import { EventActions } from "./event-actions";
import { EventGroups } from "./event-groups";
import { EventHops } from "./event-hops";
import { EventMessages } from "./event-messages";
import { EventPayload } from "./event-payload";
import { EventRowFields } from "./event-row-fields";
import { TRACE_REFRESH_MS, useEventTrace } from "./event-trace-query";
import { TraceSection } from "./trace-section";

function TraceError({ eventId, error }: { eventId: string; error: Error }) {
  const status = error instanceof ApiError ? error.status : null;
  if (status === 404) {
    return (
      <p role="alert" data-testid="trace-not-found" className="text-sm text-ink-muted">
        No outbox row with event id <code className="font-mono text-ink">{eventId}</code>.{" "}
        <Link href="/outbox" className="text-accent hover:underline">
          Back to the outbox
        </Link>
      </p>
    );
  }
  if (status === 422) {
    return (
      <p role="alert" data-testid="trace-invalid" className={ALERT_CLASS}>
        <code className="font-mono">{eventId}</code> is not a valid event id: {error.message}
      </p>
    );
  }
  return (
    <p role="alert" data-testid="trace-error" className={ALERT_CLASS}>
      {error.message}
    </p>
  );
}

/**
 * One event across the pipeline: the row, how long each hop took, the payload, its records on
 * Kafka, which consumer groups have passed it, and every action taken on it. Refreshed every few
 * seconds, so a retry or replay started here shows up as it happens.
 */
export function EventTraceView({ eventId }: { eventId: string }) {
  const query = useEventTrace(eventId);
  const maskFields = useSession().data?.maskFields ?? [];
  const trace = query.data;

  if (!trace) {
    return query.isError ? (
      <TraceError eventId={eventId} error={query.error} />
    ) : (
      <div className="space-y-3" aria-busy>
        <Skeleton className="h-6 w-96" />
        <Skeleton className="h-48 w-full" />
      </div>
    );
  }

  const { row } = trace;
  // Ages are counted from when this answer arrived: the answer carries no server time of its own.
  const now = query.dataUpdatedAt;
  return (
    <div className="space-y-5" data-testid="event-trace" data-event-id={row.eventId}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <StatusBadge status={row.status} />
        <code className="font-mono text-sm text-ink">{row.eventType}</code>
        <span className="font-mono text-xs text-ink-muted">
          {row.aggregateType} {row.aggregateId}
        </span>
        <span className="text-[11px] text-ink-faint">refreshed every {TRACE_REFRESH_MS / 1000} s</span>
        <span className="ml-auto">
          <EventActionButtons row={row} />
        </span>
      </div>
      {query.isError ? (
        <p role="alert" data-testid="trace-error" className={ALERT_CLASS}>
          Refresh failed, showing the last answer: {query.error.message}
        </p>
      ) : null}
      <div className="grid gap-5 xl:grid-cols-2">
        <TraceSection title="Outbox row" id="trace-row-heading">
          <EventRowFields row={row} now={now} />
        </TraceSection>
        <TraceSection title="Hops" id="trace-hops-heading" note="time from one stage to the next">
          <EventHops hops={trace.hops} />
        </TraceSection>
      </div>
      <TraceSection title="Payload" id="trace-payload-heading">
        <EventPayload payload={row.payload} maskFields={maskFields} />
      </TraceSection>
      <TraceSection title="Records on Kafka" id="trace-messages-heading">
        <EventMessages trace={trace} />
      </TraceSection>
      <TraceSection title="Consumer groups" id="trace-groups-heading">
        <EventGroups groups={trace.groups} partition={trace.partition} />
      </TraceSection>
      <TraceSection title="Actions" id="trace-actions-heading" note="from the audit log">
        <EventActions actions={trace.actions} />
      </TraceSection>
    </div>
  );
}
