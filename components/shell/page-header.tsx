import type { ReactNode } from "react";

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-4 flex items-baseline gap-3 border-b border-line pb-3">
      <h1 className="text-base font-semibold text-ink">{title}</h1>
      {children ? <p className="text-xs text-ink-muted">{children}</p> : null}
    </div>
  );
}
