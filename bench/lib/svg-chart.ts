/**
 * Time-series charts for bench reports, as a self-contained SVG (no chart library, no fonts or
 * scripts from elsewhere): panels stacked over one shared time axis, each with its own labelled
 * y-axis, optional limit lines, and shaded spans (a warm-up) across all panels. A browser turns it
 * into a PNG (see renderPng).
 */
import fs from "node:fs";
import type { Browser } from "@playwright/test";

export interface Series {
  name: string;
  color: string;
  /** [seconds, value]; a NaN value breaks the line. */
  points: [number, number][];
  dashed?: boolean;
}

export interface Panel {
  /** The y-axis label, unit included: "RSS (MB)". */
  label: string;
  series: Series[];
  /** Horizontal reference lines: targets and limits. */
  limits?: { value: number; label: string; color: string }[];
  /** "zero" starts the axis at 0; "data" fits it to the data (a flat line is judged by its wiggle). */
  yFrom?: "zero" | "data";
}

export interface ChartOptions {
  title: string;
  subtitle?: string;
  panels: Panel[];
  /** Seconds from the start, shared by all panels. */
  xMax: number;
  xLabel: string;
  /** Spans shaded across every panel, with a label and a dashed line at their end. */
  spans?: { from: number; to: number; label: string }[];
}

// Layout in CSS pixels: wide enough for 180 ten-second samples to read as a line, one panel tall
// enough to see a 10 MB step on a few-hundred-MB axis.
const WIDTH = 1200;
const PANEL_HEIGHT = 230;
const PANEL_GAP = 46;
const MARGIN = { left: 86, right: 180, top: 84, bottom: 58 };
// About this many gridlines per axis: readable labels without crowding.
const TARGET_TICKS = 6;
const FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** A round step (1, 2 or 5 × 10^k) giving about `count` intervals over `range`. */
function niceStep(range: number, count: number): number {
  const raw = range / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  return (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude;
}

/** Steps of the time axis: seconds for short runs, whole minutes for long ones. */
const TIME_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

function timeTicks(xMax: number): { step: number; format: (s: number) => string } {
  const step = TIME_STEPS.find((s) => xMax / s <= TARGET_TICKS * 2) ?? niceStep(xMax, TARGET_TICKS);
  return { step, format: step >= 60 ? (s) => `${Math.round(s / 60)} min` : (s) => `${Math.round(s)} s` };
}

function formatValue(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return value.toLocaleString("en", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function timeSeriesSvg(options: ChartOptions): { svg: string; width: number; height: number } {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const height = MARGIN.top + options.panels.length * PANEL_HEIGHT + (options.panels.length - 1) * PANEL_GAP + MARGIN.bottom;
  const xMax = Math.max(1, options.xMax);
  const x = (seconds: number) => MARGIN.left + (Math.min(seconds, xMax) / xMax) * plotWidth;
  const time = timeTicks(xMax);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" font-size="12">`);
  out.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="30" font-size="18" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`);
  if (options.subtitle) out.push(`<text x="${MARGIN.left}" y="54" font-size="13" fill="#444">${escapeXml(options.subtitle)}</text>`);

  options.panels.forEach((panel, index) => {
    const top = MARGIN.top + index * (PANEL_HEIGHT + PANEL_GAP);
    const bottom = top + PANEL_HEIGHT;
    const values = panel.series.flatMap((s) => s.points.map(([, v]) => v)).filter(Number.isFinite);
    const limitValues = (panel.limits ?? []).map((l) => l.value).filter(Number.isFinite);
    const all = [...values, ...limitValues];
    let low = panel.yFrom === "data" && all.length > 0 ? Math.min(...all) : 0;
    let high = all.length > 0 ? Math.max(...all) : 1;
    if (high - low < 1e-9) high = low + 1;
    const padding = (high - low) * 0.08;
    if (panel.yFrom === "data") low = Math.max(0, low - padding);
    high += padding;
    const step = niceStep(high - low, TARGET_TICKS);
    low = Math.floor(low / step) * step;
    high = Math.ceil(high / step) * step;
    const y = (value: number) => bottom - ((value - low) / (high - low)) * PANEL_HEIGHT;

    for (const span of options.spans ?? []) {
      const from = x(span.from);
      const to = x(span.to);
      out.push(`<rect x="${from}" y="${top}" width="${Math.max(0, to - from)}" height="${PANEL_HEIGHT}" fill="#f1f1f1"/>`);
      out.push(`<line x1="${to}" x2="${to}" y1="${top}" y2="${bottom}" stroke="#888" stroke-dasharray="5 4"/>`);
      if (index === 0) out.push(`<text x="${(from + to) / 2}" y="${top - 6}" text-anchor="middle" fill="#666">${escapeXml(span.label)}</text>`);
    }
    for (let tick = low; tick <= high + step / 2; tick += step) {
      out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e2e2e2"/>`);
      out.push(`<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" text-anchor="end" fill="#333">${formatValue(tick, step)}</text>`);
    }
    for (let tick = 0; tick <= xMax + 1e-9; tick += time.step) {
      out.push(`<line x1="${x(tick)}" x2="${x(tick)}" y1="${top}" y2="${bottom}" stroke="#eeeeee"/>`);
      out.push(`<text x="${x(tick)}" y="${bottom + 16}" text-anchor="middle" fill="#333">${time.format(tick)}</text>`);
    }
    out.push(`<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`);
    out.push(`<text transform="translate(${MARGIN.left - 60} ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13" fill="#111">${escapeXml(panel.label)}</text>`);

    for (const limit of panel.limits ?? []) {
      if (!Number.isFinite(limit.value)) continue;
      out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(limit.value)}" y2="${y(limit.value)}" stroke="${limit.color}" stroke-width="1.5" stroke-dasharray="8 5"/>`);
      out.push(`<text x="${MARGIN.left + plotWidth - 6}" y="${y(limit.value) - 6}" text-anchor="end" fill="${limit.color}">${escapeXml(limit.label)}</text>`);
    }
    for (const series of panel.series) {
      let d = "";
      let pen = false;
      for (const [seconds, value] of series.points) {
        if (!Number.isFinite(value)) {
          pen = false;
          continue;
        }
        d += `${pen ? "L" : "M"}${x(seconds).toFixed(1)},${y(value).toFixed(1)}`;
        pen = true;
      }
      out.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="4 3"' : ""} stroke-linejoin="round"/>`);
      // A lone sample between gaps draws no line: a dot shows it.
      if (series.points.filter(([, v]) => Number.isFinite(v)).length === 1) {
        const [seconds, value] = series.points.find(([, v]) => Number.isFinite(v))!;
        out.push(`<circle cx="${x(seconds)}" cy="${y(value)}" r="3" fill="${series.color}"/>`);
      }
    }
    panel.series.forEach((series, i) => {
      const ly = top + 18 + i * 18;
      out.push(`<line x1="${MARGIN.left + plotWidth + 8}" x2="${MARGIN.left + plotWidth + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="4 3"' : ""}/>`);
      out.push(`<text x="${MARGIN.left + plotWidth + 36}" y="${ly}" fill="#111">${escapeXml(series.name)}</text>`);
    });
  });
  const axisY = height - MARGIN.bottom + 40;
  out.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${axisY}" text-anchor="middle" font-size="13" fill="#111">${escapeXml(options.xLabel)}</text>`);
  out.push("</svg>");
  return { svg: out.join("\n"), width: WIDTH, height };
}

/** Writes the chart as `<base>.svg`, `<base>.html` and, rendered by the browser, `<base>.png`. */
export async function writeChart(browser: Browser, chart: { svg: string; width: number; height: number }, base: string): Promise<void> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>chart</title></head><body style="margin:0;background:#fff">${chart.svg}</body></html>`;
  fs.writeFileSync(`${base}.svg`, `${chart.svg}\n`);
  fs.writeFileSync(`${base}.html`, html);
  const page = await browser.newPage({ viewport: { width: chart.width, height: chart.height } });
  try {
    await page.setContent(html);
    await page.screenshot({ path: `${base}.png` });
  } finally {
    await page.close();
  }
}
