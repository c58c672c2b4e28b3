"use client";

import { CHART_RANGES, type ChartRangeId } from "@/lib/charts/time-range";

/** 1 min / 5 min / 15 min: the span every chart of a page shows. */
export function RangePicker({ value, onChange, label = "Time range" }: { value: ChartRangeId; onChange: (range: ChartRangeId) => void; label?: string }) {
  return (
    <div role="group" aria-label={label} className="inline-flex overflow-hidden rounded border border-line-strong text-xs">
      {CHART_RANGES.map((range) => {
        const active = range.id === value;
        return (
          <button
            key={range.id}
            type="button"
            data-testid={`range-${range.id}`}
            aria-pressed={active}
            onClick={() => onChange(range.id)}
            className={`px-2.5 py-1 whitespace-nowrap transition-colors not-first:border-l not-first:border-line-strong ${
              active ? "bg-accent/15 text-ink" : "text-ink-muted hover:bg-surface-raised hover:text-ink"
            }`}
          >
            {range.label}
          </button>
        );
      })}
    </div>
  );
}
