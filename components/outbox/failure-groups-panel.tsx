"use client";

import type { ActionKind } from "@/lib/contracts/outbox";
import { formatClockTime } from "@/lib/format/clock";
import { formatDuration } from "@/lib/format/duration";
import { formatCount } from "@/lib/format/numbers";
import { ALERT_CLASS } from "@/components/forms/field-styles";
import { Skeleton } from "@/components/overview/stat";
import type { ActionChoice } from "./action-target";
import { FailureGroupIndexAdvice } from "./failure-group-index-advice";
import { FailureGroupRow, GROUP_CELL } from "./failure-group-row";
import { useFailureGroups } from "./failure-groups-query";

/** Failed rows grouped by event type and error signature, largest groups first, refreshed every few seconds. */
export function FailureGroupsPanel(props: { allowed: readonly ActionKind[]; onShowRows: (eventType: string) => void; onAction: (choice: ActionChoice) => void }) {
  const query = useFailureGroups();
  const answer = query.data;

  return (
    <section aria-labelledby="failures-heading" className="space-y-2" data-testid="failure-groups">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id="failures-heading" className="text-sm font-medium text-ink">
          Failures by cause
        </h2>
        {answer ? (
          <p className="text-[11px] text-ink-muted">
            <span data-testid="failure-groups-total" data-count={answer.totalFailed} className={`tabular ${answer.totalFailed > 0 ? "text-down" : "text-ink"}`}>
              {formatCount(answer.totalFailed)}
            </span>{" "}
            failed row{answer.totalFailed === 1 ? "" : "s"} in {formatCount(answer.groups.length)} group{answer.groups.length === 1 ? "" : "s"} · as of{" "}
            <span className="tabular">{formatClockTime(answer.asOf)} UTC</span> ·{" "}
            <span data-testid="failure-groups-timing" title={answer.index ? `index ${answer.index.name}${answer.index.valid ? "" : " (not valid yet)"}${answer.index.covering ? "" : " (not covering)"}` : "no index on the error signature"}>
              grouped in <span className="tabular">{formatDuration(answer.computeMs)}</span>
              {answer.index?.valid && answer.index.covering ? " by its index" : ""}
            </span>
            {answer.truncated ? (
              <span data-testid="failure-groups-truncated" className="text-pending">
                {" "}
                · more groups exist than are shown (the largest are)
              </span>
            ) : null}
          </p>
        ) : null}
      </div>
      {answer?.indexAdvice ? <FailureGroupIndexAdvice sql={answer.indexAdvice} computeMs={answer.computeMs} totalFailed={answer.totalFailed} /> : null}
      {query.isError ? (
        <p role="alert" data-testid="failure-groups-error" className={ALERT_CLASS}>
          {query.error.message}
        </p>
      ) : null}
      {!answer ? (
        query.isError ? null : <Skeleton className="h-16 w-full" />
      ) : answer.groups.length === 0 ? (
        <p data-testid="failure-groups-empty" className="rounded border border-line bg-surface px-3 py-2 text-xs text-ink-muted">
          No failed rows.
        </p>
      ) : (
        <div className="max-h-80 overflow-auto rounded border border-line bg-surface">
          <table className="w-full text-xs">
            <thead className="sticky top-0 bg-surface">
              <tr className="border-b border-line text-left text-[11px] text-ink-muted">
                <th className={`${GROUP_CELL} font-normal`}>Event type</th>
                <th className={`${GROUP_CELL} font-normal`}>Signature · sample error</th>
                <th className={`${GROUP_CELL} text-right font-normal`}>Rows</th>
                <th className={`${GROUP_CELL} font-normal`}>First seen</th>
                <th className={`${GROUP_CELL} font-normal`}>Last seen</th>
                <th className={`${GROUP_CELL} font-normal`}>Sample</th>
                <th className={GROUP_CELL}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {answer.groups.map((group) => (
                <FailureGroupRow
                  key={`${group.eventType}\u0000${group.signature}`}
                  group={group}
                  now={answer.asOf}
                  allowed={props.allowed}
                  onShowRows={props.onShowRows}
                  onAction={props.onAction}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
