import type { ReactNode } from "react";
import { PageHeader } from "./page-header";

/**
 * A section that does not exist yet: says what it will show and what it will watch, and shows
 * no data. Better an honest empty page than numbers that look real.
 */
export function NotBuiltYet(props: { title: string; summary: string; plans: readonly string[]; watches?: ReactNode }) {
  return (
    <>
      <PageHeader title={props.title}>{props.summary}</PageHeader>
      <div className="max-w-2xl rounded border border-dashed border-line-strong bg-surface px-4 py-3">
        <p className="mb-2 flex items-center gap-2 text-sm text-ink">
          <span className="rounded-sm border border-pending/50 px-1.5 text-[11px] font-semibold tracking-wide text-pending">NOT BUILT YET</span>
          This section is planned; nothing here is live.
        </p>
        <ul className="list-disc space-y-0.5 pl-5 text-xs text-ink-muted">
          {props.plans.map((plan) => (
            <li key={plan}>{plan}</li>
          ))}
        </ul>
        {props.watches ? <div className="mt-3 border-t border-line pt-2 text-xs text-ink-muted">{props.watches}</div> : null}
      </div>
    </>
  );
}
