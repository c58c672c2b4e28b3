"use client";

import { Fragment, type ReactNode } from "react";
import { STAGES, type MetricsSnapshot, type StageName } from "@/lib/contracts/metrics";
import { formatClockTime } from "@/lib/format/clock";
import { windowAverage } from "@/lib/charts/window-average";
import { useMetricsHistory, useMetricsSnapshot } from "@/components/metrics/live-metrics";
import { useLiveConnection } from "@/components/realtime/live-connection";
import { CaptureStageBody } from "./capture-stage";
import { ConsumersStageBody } from "./consumers-stage";
import { FAILING_WINDOW_MS, OutboxStageBody } from "./outbox-stage";
import { StageCard } from "./stage-card";
import { Skeleton } from "./stat";
import { TopicStageBody } from "./topic-stage";

const STAGE_TITLES: Record<StageName, { title: string; role: string }> = {
  outbox: { title: "Outbox table", role: "PostgreSQL" },
  capture: { title: "Debezium", role: "on Kafka Connect" },
  topic: { title: "Kafka topic", role: "change events" },
  consumers: { title: "Consumer groups", role: "reading the topic" },
};

/**
 * The pipeline as a picture: its four stages left to right, in the order an event travels, each
 * with its health, the rule behind it and its live numbers. Until the first snapshot arrives the
 * cards hold skeletons: no number is better than a 0 that is not true.
 */
export function PipelineStages() {
  const snapshot = useMetricsSnapshot();
  const history = useMetricsHistory();
  const failingPerSec = snapshot ? windowAverage(history, "failedRate", FAILING_WINDOW_MS, snapshot.at) : null;
  const connection = useLiveConnection();
  const stale = snapshot !== undefined && connection !== "connected";

  return (
    <section aria-labelledby="pipeline-heading" className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="pipeline-heading" className="text-sm font-medium text-ink">
          Pipeline
        </h2>
        <p className="text-[11px] text-ink-muted" data-testid="snapshot-time" data-at={snapshot?.at ?? ""}>
          {snapshot ? (
            <>
              {stale ? <span className="mr-2 rounded-sm border border-pending/50 px-1 font-semibold text-pending">STALE</span> : null}
              {stale ? "last snapshot" : "snapshot"} <span className="tabular text-ink">{formatClockTime(snapshot.at)} UTC</span>
            </>
          ) : (
            "waiting for the first snapshot"
          )}
        </p>
      </div>
      {/* Dimmed while the connection is down: these are the last numbers received, not the state. */}
      <div className={`grid gap-3 md:grid-cols-2 xl:grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)_auto_minmax(0,1fr)_auto_minmax(0,1fr)] xl:gap-1.5 ${stale ? "opacity-60" : ""}`}>
        {STAGES.map((stage, index) => (
          <Fragment key={stage}>
            {index > 0 ? <FlowArrow /> : null}
            <StageCard
              stage={stage}
              title={STAGE_TITLES[stage].title}
              role={STAGE_TITLES[stage].role}
              subject={snapshot ? subjectOf(stage, snapshot) : null}
              health={snapshot?.stages[stage] ?? null}
              now={snapshot?.at ?? 0}
              error={snapshot ? errorOf(stage, snapshot) : null}
            >
              {snapshot ? stageBody(stage, snapshot, failingPerSec) : <StageSkeleton />}
            </StageCard>
          </Fragment>
        ))}
      </div>
    </section>
  );
}

function stageBody(stage: StageName, snapshot: MetricsSnapshot, failingPerSec: number | null): ReactNode {
  switch (stage) {
    case "outbox":
      return <OutboxStageBody outbox={snapshot.outbox} failingPerSec={failingPerSec} />;
    case "capture":
      return <CaptureStageBody connect={snapshot.connect} slot={snapshot.outbox.slot} latency={snapshot.latency.hops.capture["1m"]} />;
    case "topic":
      return <TopicStageBody topic={snapshot.topic} cluster={snapshot.cluster} tail={snapshot.tail} />;
    case "consumers":
      return <ConsumersStageBody groups={snapshot.groups} topic={snapshot.topic.topic} />;
  }
}

function subjectOf(stage: StageName, snapshot: MetricsSnapshot): string | null {
  switch (stage) {
    case "outbox":
      return snapshot.outbox.table;
    case "capture":
      return snapshot.connect.connector;
    case "topic":
      return snapshot.topic.topic;
    case "consumers":
      return null;
  }
}

function errorOf(stage: StageName, snapshot: MetricsSnapshot): string | null {
  switch (stage) {
    case "outbox":
      return snapshot.outbox.error;
    case "capture":
      return snapshot.connect.error;
    case "topic":
      return snapshot.topic.error;
    case "consumers":
      return null;
  }
}

/** → between stages on wide screens; the cards wrap into a grid below that. */
function FlowArrow() {
  return (
    <div aria-hidden className="hidden items-center justify-center text-ink-faint xl:flex">
      <svg viewBox="0 0 16 16" className="size-4">
        <path d="M2 8h11M9 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    </div>
  );
}

function StageSkeleton() {
  return (
    <div className="space-y-3" aria-busy>
      <div className="grid grid-cols-3 gap-3">
        {Array.from({ length: 6 }, (_, index) => (
          <div key={index} className="space-y-1">
            <Skeleton className="h-3 w-12" />
            <Skeleton className="h-4 w-16" />
          </div>
        ))}
      </div>
      <Skeleton className="h-3 w-2/3" />
      <Skeleton className="h-3 w-1/2" />
    </div>
  );
}
