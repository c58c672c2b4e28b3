/** Tick spacings that read well on a clock, in seconds. */
const STEPS_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] as const;
const LONGEST_STEP_SECONDS = 3600;

/**
 * Tick times for a time axis from `start` to `end` (epoch ms): at most `maxTicks`, on round clock
 * values (every 10 s, 30 s, 1 min, …) so the labels stay put while the chart scrolls.
 */
export function timeTicks(start: number, end: number, maxTicks: number): number[] {
  if (!(end > start) || maxTicks < 1) return [];
  const spanSeconds = (end - start) / 1000;
  const step = (STEPS_SECONDS.find((seconds) => spanSeconds / seconds <= maxTicks) ?? LONGEST_STEP_SECONDS) * 1000;
  const ticks: number[] = [];
  for (let tick = Math.ceil(start / step) * step; tick <= end; tick += step) ticks.push(tick);
  return ticks;
}
