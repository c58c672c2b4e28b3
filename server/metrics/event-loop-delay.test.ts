import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { histogramBuckets, histogramQuantile } from "@/bench/lib/server-metrics";
import { EVENT_LOOP_DELAY_METRIC, EventLoopDelayHistogram } from "./event-loop-delay";

describe("the event-loop delay histogram", () => {
  it("counts every sample in its bucket, and a scrape resets nothing", async () => {
    const registry = new Registry();
    const histogram = new EventLoopDelayHistogram(registry);
    for (const ms of [0.4, 3, 3, 12, 19.9, 20, 21, 140, 2_500]) histogram.observe(ms);
    const first = histogramBuckets(await registry.metrics(), EVENT_LOOP_DELAY_METRIC);
    const second = histogramBuckets(await registry.metrics(), EVENT_LOOP_DELAY_METRIC);
    expect(second).toEqual(first);
    const at = (le: number) => first.find((bucket) => bucket.le === le)?.count;
    expect(at(0.001)).toBe(1);
    expect(at(0.005)).toBe(3);
    expect(at(0.015)).toBe(4);
    expect(at(0.02)).toBe(6);
    expect(at(0.025)).toBe(7);
    expect(at(0.15)).toBe(8);
    expect(at(5)).toBe(9);
    expect(at(Number.POSITIVE_INFINITY)).toBe(9);
  });

  it("samples the loop while started: a blocked loop shows as one late sample", async () => {
    const registry = new Registry();
    const histogram = new EventLoopDelayHistogram(registry);
    histogram.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const blockUntil = performance.now() + 120;
      while (performance.now() < blockUntil) {
        // the event loop is busy
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
    } finally {
      histogram.stop();
    }
    const buckets = histogramBuckets(await registry.metrics(), EVENT_LOOP_DELAY_METRIC);
    const total = buckets.at(-1)!.count;
    const under100ms = buckets.find((bucket) => bucket.le === 0.1)!.count;
    expect(total).toBeGreaterThan(3);
    expect(total - under100ms).toBe(1);
  });
});

describe("histogramQuantile", () => {
  const bucketsOf = (counts: [number, number][]) => counts.map(([le, count]) => ({ le, count }));

  it("interpolates within the bucket holding the quantile, over the difference of two scrapes", () => {
    const before = bucketsOf([[0.01, 100], [0.02, 100], [0.05, 100], [Number.POSITIVE_INFINITY, 100]]);
    const after = bucketsOf([[0.01, 1_090], [0.02, 1_190], [0.05, 1_200], [Number.POSITIVE_INFINITY, 1_200]]);
    // 1,100 new samples: 990 ≤ 10 ms, 100 in (10, 20], 10 in (20, 50].
    expect(histogramQuantile(before, after, 0.5)).toBeCloseTo(0.01 * (550 / 990), 6);
    expect(histogramQuantile(before, after, 0.99)).toBeCloseTo(0.01 + 0.01 * ((1_089 - 990) / 100), 6);
    expect(histogramQuantile(before, after, 1)).toBeCloseTo(0.05, 6);
  });

  it("is the last finite bound when the quantile falls in +Inf, and NaN without samples", () => {
    const before = bucketsOf([[0.01, 0], [Number.POSITIVE_INFINITY, 0]]);
    expect(histogramQuantile(before, bucketsOf([[0.01, 0], [Number.POSITIVE_INFINITY, 5]]), 0.99)).toBe(0.01);
    expect(histogramQuantile(before, before, 0.99)).toBeNaN();
  });
});
