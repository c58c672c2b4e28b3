import type { ValueUnit } from "@/lib/format/units";

const DECIMAL_MULTIPLIERS = [1, 2, 5] as const;

function decimalSteps(fromExponent: number, toExponent: number): number[] {
  const steps: number[] = [];
  for (let exponent = fromExponent; exponent <= toExponent; exponent++) for (const multiplier of DECIMAL_MULTIPLIERS) steps.push(multiplier * 10 ** exponent);
  return steps;
}

// Bytes step by 1, 2, 5, 10, … of a binary unit, so labels read "1 MiB, 2 MiB", never "586 KiB".
const BYTE_STEPS: readonly number[] = [0, 1, 2, 3, 4, 5].flatMap((power) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((multiplier) => multiplier * 1024 ** power));
// Durations step by round clock values: 1-2-5 below a second, then 1 s, 2 s, 5 s, 10 s, 15 s, 30 s,
// then minutes, then hours.
const DURATION_STEPS: readonly number[] = [
  ...decimalSteps(0, 2),
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];
const COUNT_STEPS: readonly number[] = decimalSteps(0, 15);
const RATE_STEPS: readonly number[] = decimalSteps(-2, 15);

function stepsFor(unit: ValueUnit): readonly number[] {
  switch (unit) {
    case "bytes":
    case "byteRate":
      return BYTE_STEPS;
    case "duration":
      return DURATION_STEPS;
    case "count":
      return COUNT_STEPS;
    case "rate":
      return RATE_STEPS;
  }
}

/** Top of an axis whose series are all 0 or unknown: one unit of something small and round. */
const EMPTY_AXIS_TOP: Record<ValueUnit, number> = { count: 1, rate: 1, bytes: 1024, byteRate: 1024, duration: 1_000 };

/**
 * Ticks for a value axis from 0 to at least `max`: at most `maxTicks` of them, spaced by a step that
 * is round in the axis' unit (1 MiB, 500 ms, 30 s, 200 records) so the labels are easy to read.
 * An axis with nothing above 0 still gets a first step, so a flat line sits on the floor of a
 * labelled axis rather than in the middle of an empty one.
 */
export function valueTicks(max: number, unit: ValueUnit, maxTicks = 5): number[] {
  if (!(Number.isFinite(max) && max > 0)) return [0, EMPTY_AXIS_TOP[unit]];
  const steps = stepsFor(unit);
  const intervals = Math.max(1, Math.floor(maxTicks) - 1);
  const top = max;
  const step = steps.find((candidate) => candidate > 0 && Math.ceil(top / candidate) <= intervals) ?? steps[steps.length - 1] ?? 1;
  const count = Math.max(1, Math.ceil(top / step));
  // Multiplying (rather than adding) keeps 0.1 + 0.2-style drift out of the labels.
  return Array.from({ length: count + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}
