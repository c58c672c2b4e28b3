import { describe, expect, it } from "vitest";
import { MAX_LABELS_PER_SECOND, OTHER_LABEL, PerSecondCounter, PerSecondTally, RATE_WINDOW_SECONDS } from "./per-second";

describe("PerSecondCounter", () => {
  it("has no rate before the first complete second, then averages the complete seconds only", () => {
    const counter = new PerSecondCounter();
    const started = 1_000;
    counter.add(1_000, 30);
    expect(counter.rate(1_000, started)).toBeNull();
    counter.add(1_001, 10);
    // At 1_002: two complete seconds (30 and 10); the current second is not counted.
    counter.add(1_002, 999);
    expect(counter.rate(1_002, started)).toBe(20);
  });

  it("averages over the last 10 complete seconds once it has run longer", () => {
    const counter = new PerSecondCounter();
    const countAt = (second: number) => (second < 20 ? 100 : 10);
    for (let second = 0; second < 25; second++) counter.add(second, countAt(second));
    // Seconds 15-24: five at 100, five at 10.
    expect(counter.sum(25, RATE_WINDOW_SECONDS)).toBe(5 * 100 + 5 * 10);
    expect(counter.rate(25, 0)).toBe(55);
    for (let second = 25; second < 30; second++) counter.add(second, countAt(second));
    expect(counter.rate(30, 0)).toBe(10);
  });

  it("forgets seconds older than the window even when nothing was counted since (idle topic)", () => {
    const counter = new PerSecondCounter();
    counter.add(100, 50);
    expect(counter.rate(105, 90)).toBe(5);
    expect(counter.rate(200, 90)).toBe(0);
  });
});

describe("PerSecondTally", () => {
  it("gives per-second rates by label over the complete seconds", () => {
    const tally = new PerSecondTally();
    tally.add(10, "c", 4);
    tally.add(10, "u", 2);
    tally.add(11, "c", 6);
    tally.add(12, "c", 1_000);
    expect(tally.rates(12, 10)).toEqual({ c: 5, u: 1 });
    expect(tally.rates(10, 10)).toEqual({});
  });

  it("counts labels beyond its bound under one overflow label", () => {
    const tally = new PerSecondTally();
    for (let i = 0; i < MAX_LABELS_PER_SECOND + 5; i++) tally.add(1, `Type${i}`);
    const rates = tally.rates(2, 1);
    expect(Object.keys(rates)).toHaveLength(MAX_LABELS_PER_SECOND + 1);
    expect(rates[OTHER_LABEL]).toBe(5);
  });

  it("keeps a label named __proto__ as data, not as the result's prototype", () => {
    const tally = new PerSecondTally();
    tally.add(1, "__proto__", 3);
    const rates = tally.rates(2, 1);
    expect(Object.getPrototypeOf(rates)).toBe(Object.prototype);
    expect(Object.keys(rates)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(rates, "__proto__")?.value).toBe(3);
  });
});
