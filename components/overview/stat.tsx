import type { ReactNode } from "react";

/**
 * A label and a live value. `testId` and `value` go to data-testid / data-value so a test reads the
 * number the page holds (data-value is empty when the value is unknown), not its formatting.
 */
export function Stat(props: { label: string; children: ReactNode; testId?: string; value?: number | null; estimate?: boolean; title?: string; tone?: string }) {
  // The full value on hover too: a narrow card can cut a long number short.
  const title = props.title ?? (typeof props.children === "string" ? props.children : undefined);
  return (
    // A label too long for a narrow card wraps rather than being cut; the value stays at the bottom,
    // level with its row's other values.
    <div className="flex min-w-0 flex-col justify-between" title={title}>
      <dt className="text-[11px] leading-tight text-ink-muted">{props.label}</dt>
      <dd
        data-testid={props.testId}
        data-value={props.testId ? (props.value ?? "") : undefined}
        data-estimate={props.testId && props.estimate !== undefined ? String(props.estimate) : undefined}
        className={`tabular truncate text-sm font-medium ${props.tone ?? "text-ink"}`}
      >
        {props.children}
      </dd>
    </div>
  );
}

export function StatGrid({ children, columns = 2 }: { children: ReactNode; columns?: 2 | 3 }) {
  return <dl className={`grid gap-x-3 gap-y-2 ${columns === 3 ? "grid-cols-3" : "grid-cols-2"}`}>{children}</dl>;
}

/** A placeholder bar where a number will be: before the first snapshot there is nothing to show, not 0. */
export function Skeleton({ className = "h-4 w-16" }: { className?: string }) {
  return <span aria-hidden className={`block animate-pulse rounded-sm bg-surface-raised ${className}`} />;
}
