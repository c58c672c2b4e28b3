"use client";

import { PIPELINE_COMPONENTS } from "@/lib/contracts/health";
import { formatDuration } from "@/lib/format/duration";
import { useLiveConnection } from "@/components/realtime/live-connection";
import { useHealthReportQuery } from "./health-report-query";
import { STATUS_TONE, describeComponent, displayStatus } from "./health-view";

/** PostgreSQL / Kafka / Connect pills for the header. `data-status` is what tests wait on. */
export function HealthPills() {
  const connection = useLiveConnection();
  const { data: report, isError } = useHealthReportQuery();
  const reportUnavailable = isError && connection !== "connected";

  return (
    <ul className="flex items-center gap-1.5" aria-label="Pipeline health">
      {PIPELINE_COMPONENTS.map(({ id, label }) => {
        const status = displayStatus(report, id, reportUnavailable);
        const tone = STATUS_TONE[status];
        const latency = report && status !== "unknown" ? formatDuration(report.components[id].latencyMs) : null;
        return (
          <li
            key={id}
            data-testid={`health-${id}`}
            data-status={status}
            title={describeComponent(label, report, id, status)}
            className={`inline-flex items-center gap-1.5 rounded border bg-surface px-2 py-0.5 text-xs whitespace-nowrap ${tone.border}`}
          >
            <span aria-hidden className={`size-1.5 shrink-0 rounded-full ${tone.dot}`} />
            <span className="text-ink">{label}</span>
            {/* Fixed width: the latency changes every poll and the header must not jitter. */}
            <span className={`tabular hidden min-w-[6ch] text-right sm:inline ${tone.text}`}>{status === "up" ? latency : tone.label.toLowerCase()}</span>
          </li>
        );
      })}
    </ul>
  );
}
