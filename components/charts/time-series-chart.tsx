"use client";

import { memo, useCallback, useMemo, useState } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { downsample, type ChartRow } from "@/lib/charts/downsample";
import { latestValue } from "@/lib/charts/series";
import { timeTicks } from "@/lib/charts/time-ticks";
import { valueTicks } from "@/lib/charts/value-ticks";
import { formatClockTime } from "@/lib/format/clock";
import { formatTick, formatValue, type ValueUnit } from "@/lib/format/units";
import { CHART_CHROME } from "./palette";
import { useElementWidth } from "./use-element-width";

export interface ChartSeries {
  /** Key of the series' values in the rows. */
  key: string;
  label: string;
  color: string;
  /** The right axis carries a second unit (slot lag in bytes next to lag in records). */
  axis?: "left" | "right";
  dashed?: boolean;
}

export interface TimeSeriesChartProps {
  title: string;
  /** On the figure; e2e tests find the chart's svg inside it. */
  testId: string;
  rows: readonly ChartRow[];
  /** Start and end of the time axis (epoch ms). */
  domain: readonly [number, number];
  series: readonly ChartSeries[];
  leftUnit: ValueUnit;
  rightUnit?: ValueUnit;
  /** Plot height in px; fixed so a page does not reflow while data arrives. */
  height?: number;
  /** Join the line across seconds without a value (latency: no sample that second is not "unknown"). */
  connectNulls?: boolean;
  /** Shown instead of the plot when no series has a value in the window. */
  emptyText?: string;
}

const LEFT_AXIS_WIDTH = 58;
const RIGHT_AXIS_WIDTH = 64;
const MARGIN = { top: 8, right: 8, bottom: 0, left: 0 } as const;
// A tick label "00:00:00" is ~50 px wide at 11 px; keep one per ~90 px so they never touch.
const PX_PER_TIME_TICK = 90;
// Ticks per value axis, 0 included; at 170-180 px of plot, one label every ~40 px.
const VALUE_TICKS = 5;
const AXIS_TICK_STYLE = { fill: CHART_CHROME.tick, fontSize: 11 } as const;
const CURSOR_STYLE = { stroke: CHART_CHROME.cursor, strokeWidth: 1 } as const;
const ACTIVE_DOT = { r: 2.5, strokeWidth: 0 } as const;

/**
 * A live line chart over time: a fixed-height plot with time on x (HH:MM:SS UTC), one or two value
 * axes with units, a legend that shows each series' latest value and hides a series on click,
 * and a tooltip with full values. Rows are down-sampled to about one point per pixel of plot width
 * (min/max kept, so spikes survive) and nothing animates: at one update a second, animation costs
 * CPU and hides the newest value behind a transition.
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { rows, domain, series, leftUnit, rightUnit, height = 180, connectNulls = false } = props;
  const [containerRef, width] = useElementWidth<HTMLDivElement>();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());

  const hasRightAxis = rightUnit !== undefined && series.some((entry) => entry.axis === "right");
  const plotWidth = Math.max(0, width - LEFT_AXIS_WIDTH - (hasRightAxis ? RIGHT_AXIS_WIDTH : 0) - MARGIN.left - MARGIN.right);
  const drawn = useMemo(() => (plotWidth > 0 ? downsample(rows, plotWidth) : rows), [rows, plotWidth]);
  const hasData = useMemo(() => series.some((entry) => latestValue(rows, entry.key) !== null), [rows, series]);
  const unitOf = useCallback((entry: ChartSeries): ValueUnit => (entry.axis === "right" && rightUnit ? rightUnit : leftUnit), [leftUnit, rightUnit]);

  const toggle = (key: string) =>
    setHidden((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  // Several seconds per drawn point: the caption says so, because a tooltip then shows a bucket's
  // extremes rather than one second's value.
  const secondsPerPoint = drawn.length < rows.length && drawn.length > 0 ? Math.round((2 * rows.length) / drawn.length) : 1;

  return (
    <figure data-testid={props.testId} data-points={rows.length} data-drawn={drawn.length} className="flex min-w-0 flex-col rounded border border-line bg-surface">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 border-b border-line px-3 py-1.5">
        <span className="text-xs font-medium text-ink">{props.title}</span>
        {secondsPerPoint > 1 ? <span className="text-[11px] text-ink-faint">min/max per {secondsPerPoint} s</span> : null}
      </figcaption>
      <ul className="flex flex-wrap gap-x-3 gap-y-0.5 px-3 pt-1.5 text-[11px]" aria-label={`${props.title} series`}>
        {series.map((entry) => {
          const off = hidden.has(entry.key);
          return (
            <li key={entry.key}>
              <button
                type="button"
                onClick={() => toggle(entry.key)}
                aria-pressed={!off}
                title={off ? `Show ${entry.label}` : `Hide ${entry.label}`}
                className={`inline-flex items-center gap-1.5 whitespace-nowrap ${off ? "opacity-40" : ""} hover:text-ink`}
              >
                <SeriesSwatch color={entry.color} dashed={entry.dashed} />
                <span className="text-ink-muted">{entry.label}</span>
                <span className="tabular text-ink">{formatValue(unitOf(entry), latestValue(rows, entry.key))}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <div ref={containerRef} className="relative px-1 pb-1" style={{ height: height + 8 }}>
        {width > 0 ? (
          <Plot
            width={width}
            height={height}
            plotWidth={plotWidth}
            rows={drawn}
            start={domain[0]}
            end={domain[1]}
            series={series}
            hidden={hidden}
            leftUnit={leftUnit}
            rightUnit={hasRightAxis ? rightUnit : undefined}
            unitOf={unitOf}
            connectNulls={connectNulls}
          />
        ) : null}
        {width > 0 && !hasData ? (
          <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-xs text-ink-faint">{props.emptyText ?? "No data in this window"}</p>
        ) : null}
      </div>
    </figure>
  );
}

interface PlotProps {
  width: number;
  height: number;
  plotWidth: number;
  rows: readonly ChartRow[];
  start: number;
  end: number;
  series: readonly ChartSeries[];
  hidden: ReadonlySet<string>;
  leftUnit: ValueUnit;
  rightUnit: ValueUnit | undefined;
  unitOf: (entry: ChartSeries) => ValueUnit;
  connectNulls: boolean;
}

/**
 * The recharts part. recharts keeps axis and series settings in a store and re-computes the chart
 * whenever a setting's identity changes, so every prop but the data, the window and the ticks is
 * kept referentially stable here: a new formatter function every second would cost a full re-layout
 * of every chart every second.
 */
const Plot = memo(function Plot(props: PlotProps) {
  const { rows, start, end, series, hidden, leftUnit, rightUnit, unitOf, plotWidth } = props;

  const xDomain = useMemo(() => [start, end], [start, end]);
  const timeTickList = useMemo(() => timeTicks(start, end, Math.max(2, Math.floor(plotWidth / PX_PER_TIME_TICK))), [start, end, plotWidth]);
  // Value ticks are computed here rather than by recharts, whose decimal "nice" steps give labels
  // like "586 KiB" or "950 ms"; hidden series do not stretch the axis.
  const leftTop = axisMax(rows, series, hidden, "left");
  const rightTop = axisMax(rows, series, hidden, "right");
  const leftTicks = useStableTicks(valueTicks(leftTop, leftUnit, VALUE_TICKS));
  const rightTicks = useStableTicks(rightUnit ? valueTicks(rightTop, rightUnit, VALUE_TICKS) : EMPTY_TICKS);
  const leftDomain = useMemo(() => [0, leftTicks[leftTicks.length - 1] ?? 1], [leftTicks]);
  const rightDomain = useMemo(() => [0, rightTicks[rightTicks.length - 1] ?? 1], [rightTicks]);
  const formatLeftTick = useCallback((value: number) => formatTick(leftUnit, value), [leftUnit]);
  const formatRightTick = useCallback((value: number) => formatTick(rightUnit ?? leftUnit, value), [rightUnit, leftUnit]);
  const tooltipContent = useCallback(
    (tooltip: TooltipContentProps) => <ChartTooltip tooltip={tooltip} series={series} unitOf={unitOf} hidden={hidden} />,
    [series, unitOf, hidden],
  );

  return (
    <LineChart width={props.width} height={props.height} data={rows as ChartRow[]} margin={MARGIN}>
      <CartesianGrid stroke={CHART_CHROME.grid} strokeDasharray="2 4" vertical={false} />
      <XAxis
        dataKey="at"
        type="number"
        domain={xDomain}
        allowDataOverflow
        ticks={timeTickList}
        tickFormatter={formatClockTime}
        tick={AXIS_TICK_STYLE}
        stroke={CHART_CHROME.axis}
        tickLine={false}
        height={20}
      />
      <YAxis
        yAxisId="left"
        width={LEFT_AXIS_WIDTH}
        ticks={leftTicks}
        domain={leftDomain}
        interval={0}
        tickFormatter={formatLeftTick}
        tick={AXIS_TICK_STYLE}
        stroke={CHART_CHROME.axis}
        tickLine={false}
        axisLine={false}
      />
      {rightUnit ? (
        <YAxis
          yAxisId="right"
          orientation="right"
          width={RIGHT_AXIS_WIDTH}
          ticks={rightTicks}
          domain={rightDomain}
          interval={0}
          tickFormatter={formatRightTick}
          tick={AXIS_TICK_STYLE}
          stroke={CHART_CHROME.axis}
          tickLine={false}
          axisLine={false}
        />
      ) : null}
      <Tooltip isAnimationActive={false} cursor={CURSOR_STYLE} content={tooltipContent} />
      {series.map((entry) => (
        <Line
          key={entry.key}
          yAxisId={entry.axis === "right" && rightUnit ? "right" : "left"}
          type="linear"
          dataKey={entry.key}
          name={entry.label}
          stroke={entry.color}
          strokeWidth={1.5}
          strokeDasharray={entry.dashed ? "4 3" : undefined}
          dot={false}
          activeDot={ACTIVE_DOT}
          connectNulls={props.connectNulls}
          hide={hidden.has(entry.key)}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
});

const EMPTY_TICKS: number[] = [];

/** The same array as long as the tick values are the same, so the axis is not re-configured. */
function useStableTicks(ticks: number[]): number[] {
  const key = ticks.join(",");
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the values, not the array's identity
  return useMemo(() => ticks, [key]);
}

/** Largest value of the visible series on one axis, over the rows drawn. */
function axisMax(rows: readonly ChartRow[], series: readonly ChartSeries[], hidden: ReadonlySet<string>, axis: "left" | "right"): number {
  const keys = series.filter((entry) => (entry.axis ?? "left") === axis && !hidden.has(entry.key)).map((entry) => entry.key);
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const value = row[key];
      if (typeof value === "number" && value > max) max = value;
    }
  }
  return max;
}

function SeriesSwatch({ color, dashed }: { color: string; dashed?: boolean }) {
  return (
    <svg aria-hidden width="14" height="6" className="shrink-0">
      <line x1="0" y1="3" x2="14" y2="3" stroke={color} strokeWidth="2" strokeDasharray={dashed ? "3 2" : undefined} />
    </svg>
  );
}

function ChartTooltip(props: { tooltip: TooltipContentProps; series: readonly ChartSeries[]; unitOf: (entry: ChartSeries) => ValueUnit; hidden: ReadonlySet<string> }) {
  const { active, payload, label } = props.tooltip;
  if (!active || !payload || payload.length === 0) return null;
  const row = payload[0]?.payload as ChartRow | undefined;
  if (!row) return null;
  return (
    <div className="rounded border border-line-strong bg-surface-raised px-2 py-1.5 text-[11px] shadow-lg">
      <p className="tabular mb-1 text-ink-muted">{formatClockTime(typeof label === "number" ? label : row.at)} UTC</p>
      <table>
        <tbody>
          {props.series
            .filter((entry) => !props.hidden.has(entry.key))
            .map((entry) => (
              <tr key={entry.key}>
                <td className="pr-2">
                  <SeriesSwatch color={entry.color} dashed={entry.dashed} />
                </td>
                <td className="pr-3 text-ink-muted">{entry.label}</td>
                <td className="tabular text-right text-ink">{formatValue(props.unitOf(entry), row[entry.key])}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
