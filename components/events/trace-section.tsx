import type { ReactNode } from "react";

/** A titled block of the trace page. */
export function TraceSection(props: { title: string; id: string; note?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={props.id} className="space-y-1.5">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5">
        <h2 id={props.id} className="text-sm font-medium text-ink">
          {props.title}
        </h2>
        {props.note ? <div className="text-[11px] text-ink-muted">{props.note}</div> : null}
      </div>
      {props.children}
    </section>
  );
}
