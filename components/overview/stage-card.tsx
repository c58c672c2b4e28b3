import type { ReactNode } from "react";
import type { StageHealth, StageName } from "@/lib/contracts/metrics";
import { Skeleton } from "./stat";
import { STAGE_TONE, StageRule, StageStatusBadge } from "./stage-status";

/**
 * One stage of the pipeline picture: name, what it is, its health and the rule that set it, then
 * its numbers. `data-status` carries the health (UNKNOWN until the first snapshot).
 */
export function StageCard(props: {
  stage: StageName;
  title: string;
  role: string;
  /** The watched object: table, connector, topic. */
  subject?: string | null;
  health: StageHealth | null;
  now: number;
  error?: string | null;
  children: ReactNode;
}) {
  const status = props.health?.status ?? "UNKNOWN";
  const tone = STAGE_TONE[status];
  return (
    <article
      data-testid={`stage-${props.stage}`}
      data-status={status}
      aria-label={`${props.title}: ${status}`}
      className={`flex min-w-0 flex-col rounded border bg-surface ${status === "OK" || status === "UNKNOWN" ? "border-line" : tone.border}`}
    >
      <header className={`space-y-1 border-b border-line px-3 py-2 ${tone.wash}`}>
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 className="text-sm font-medium text-ink">{props.title}</h3>
            <p className="text-[11px] tracking-wide text-ink-faint uppercase">{props.role}</p>
          </div>
          <StageStatusBadge status={status} />
        </div>
        {props.subject ? (
          <p className="truncate font-mono text-[11px] text-ink-muted" title={props.subject}>
            {props.subject}
          </p>
        ) : null}
        {props.health ? <StageRule health={props.health} now={props.now} /> : <Skeleton className="h-3.5 w-3/4" />}
      </header>
      {props.error ? (
        <p role="status" className="border-b border-down/30 bg-down/10 px-3 py-1.5 font-mono text-[11px] break-words text-down">
          {props.error}
        </p>
      ) : null}
      <div className="flex flex-1 flex-col gap-3 px-3 py-2.5">{props.children}</div>
    </article>
  );
}
