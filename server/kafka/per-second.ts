/**
 * Per-second counts over a short sliding window, for the tail's rates (records, bytes, records by
 * op and by event type). Counts are bucketed by wall-clock second; a rate is the sum of the last
 * complete seconds divided by how many of them there were, so it never reports the partial
 * current second as a drop.
 */

/** The window the dashboard's tail rates are averaged over (the contract says "the last 10 s"). */
export const RATE_WINDOW_SECONDS = 10;

/**
 * Distinct labels (event types) kept per second. Event types come from the data, so a producer
 * writing a unique type per event must not grow the map without limit; the rest is counted under
 * {@link OTHER_LABEL}.
 */
export const MAX_LABELS_PER_SECOND = 64;
export const OTHER_LABEL = "(other)";

/** How many complete seconds a rate can average over, given when counting started; 0 = none yet. */
export function completeSeconds(nowSecond: number, startedSecond: number, windowSeconds = RATE_WINDOW_SECONDS): number {
  return Math.max(0, Math.min(windowSeconds, nowSecond - startedSecond));
}

export function epochSecond(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

/** One number per second; the ring holds the window plus the second being counted. */
export class PerSecondCounter {
  readonly #window: number;
  readonly #stamps: Float64Array;
  readonly #counts: Float64Array;

  constructor(windowSeconds = RATE_WINDOW_SECONDS) {
    this.#window = windowSeconds;
    this.#stamps = new Float64Array(windowSeconds + 1).fill(-1);
    this.#counts = new Float64Array(windowSeconds + 1);
  }

  add(second: number, amount: number): void {
    const slot = second % this.#stamps.length;
    if (this.#stamps[slot] !== second) {
      this.#stamps[slot] = second;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]! += amount;
  }

  /** Sum over the `seconds` complete seconds before `nowSecond` (at most the window). */
  sum(nowSecond: number, seconds = this.#window): number {
    const from = nowSecond - Math.min(seconds, this.#window);
    let total = 0;
    for (let slot = 0; slot < this.#stamps.length; slot++) {
      const stamp = this.#stamps[slot]!;
      if (stamp >= from && stamp < nowSecond) total += this.#counts[slot]!;
    }
    return total;
  }

  /** Per-second average over the complete seconds counted so far; null before the first one. */
  rate(nowSecond: number, startedSecond: number): number | null {
    const seconds = completeSeconds(nowSecond, startedSecond, this.#window);
    return seconds === 0 ? null : this.sum(nowSecond, seconds) / seconds;
  }
}

/** Counts per label per second (records by op, inserts by event type). */
export class PerSecondTally {
  readonly #window: number;
  readonly #stamps: Float64Array;
  readonly #slots: Map<string, number>[];

  constructor(windowSeconds = RATE_WINDOW_SECONDS) {
    this.#window = windowSeconds;
    this.#stamps = new Float64Array(windowSeconds + 1).fill(-1);
    this.#slots = Array.from({ length: windowSeconds + 1 }, () => new Map<string, number>());
  }

  add(second: number, label: string, amount = 1): void {
    const index = second % this.#stamps.length;
    const slot = this.#slots[index]!;
    if (this.#stamps[index] !== second) {
      this.#stamps[index] = second;
      slot.clear();
    }
    const current = slot.get(label);
    if (current !== undefined) slot.set(label, current + amount);
    else if (slot.size < MAX_LABELS_PER_SECOND) slot.set(label, amount);
    else slot.set(OTHER_LABEL, (slot.get(OTHER_LABEL) ?? 0) + amount);
  }

  /** Per-second averages by label over the complete seconds counted so far; empty before the first. */
  rates(nowSecond: number, startedSecond: number): Record<string, number> {
    const seconds = completeSeconds(nowSecond, startedSecond, this.#window);
    // A Map, then fromEntries: labels come from the data, and one named "__proto__" assigned
    // into a plain object would set its prototype instead of a key.
    const totals = new Map<string, number>();
    const from = nowSecond - seconds;
    for (let index = 0; seconds > 0 && index < this.#stamps.length; index++) {
      const stamp = this.#stamps[index]!;
      if (stamp < from || stamp >= nowSecond) continue;
      for (const [label, count] of this.#slots[index]!) totals.set(label, (totals.get(label) ?? 0) + count);
    }
    return Object.fromEntries([...totals].map(([label, count]) => [label, count / seconds]));
  }
}
