/**
 * Series colours. SVG strokes take literal colours here (not the theme's CSS variables) so a chart
 * renders the same in a screenshot, an exported SVG and the page. The named ones match the theme
 * in app/globals.css: accent blue, up green, down red, pending amber.
 */
export const CHART_COLORS = {
  accent: "#5b9dff",
  up: "#3fb97f",
  down: "#f0524f",
  pending: "#e6a23c",
  violet: "#a78bfa",
  cyan: "#22d3ee",
  pink: "#f472b6",
  lime: "#a3e635",
  orange: "#fb923c",
  slate: "#94a3b8",
} as const;

/** Colours for an open-ended list of series (consumer groups), in order; repeats past the end. */
export const SERIES_CYCLE: readonly string[] = [
  CHART_COLORS.up,
  CHART_COLORS.cyan,
  CHART_COLORS.violet,
  CHART_COLORS.pink,
  CHART_COLORS.lime,
  CHART_COLORS.orange,
  CHART_COLORS.slate,
];

export function cycleColor(index: number): string {
  return SERIES_CYCLE[index % SERIES_CYCLE.length] ?? CHART_COLORS.slate;
}

/** Chart chrome: grid, axes and tooltip, in the theme's line and ink colours. */
export const CHART_CHROME = {
  grid: "#242b36",
  axis: "#313a48",
  tick: "#8b95a5",
  cursor: "#5d6777",
} as const;
