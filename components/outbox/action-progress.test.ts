import { describe, expect, it } from "vitest";
import type { ActionProgress } from "@/lib/contracts/outbox";
import { newerProgress, progressFraction, rowsHandled } from "./action-progress";

function progress(fields: Partial<ActionProgress>): ActionProgress {
  return {
    actionId: 7,
    kind: "retry",
    state: "running",
    dryRun: false,
    matched: 1_000,
    done: 0,
    skipped: 0,
    failed: 0,
    rate: 0,
    etaSeconds: null,
    startedAt: 1_000,
    finishedAt: null,
    error: null,
    duplicate: false,
    sample: [],
    topic: null,
    ...fields,
  };
}

describe("newerProgress", () => {
  it("takes the report further along, whichever way it came", () => {
    const early = progress({ done: 100 });
    const later = progress({ done: 300, skipped: 5 });
    expect(newerProgress(early, later)).toBe(later);
    expect(newerProgress(later, early)).toBe(later);
  });

  it("takes the later of two equal reports, for its fresher rate", () => {
    const first = progress({ done: 100, rate: 10 });
    const second = progress({ done: 100, rate: 12 });
    expect(newerProgress(first, second)).toBe(second);
  });

  it("never leaves a final state for a running one", () => {
    const cancelled = progress({ state: "cancelled", done: 200, finishedAt: 2_000 });
    const lateRunning = progress({ done: 250 });
    expect(newerProgress(cancelled, lateRunning)).toBe(cancelled);
    expect(newerProgress(lateRunning, cancelled)).toBe(cancelled);
  });

  it("starts from the first report, and from a report of another action", () => {
    const first = progress({});
    expect(newerProgress(undefined, first)).toBe(first);
    const other = progress({ actionId: 8 });
    expect(newerProgress(first, other)).toBe(other);
  });
});

describe("progressFraction", () => {
  it("is the handled share of the matched rows, capped at 1", () => {
    expect(rowsHandled(progress({ done: 200, skipped: 40, failed: 10 }))).toBe(250);
    expect(progressFraction(progress({ done: 200, skipped: 40, failed: 10 }))).toBe(0.25);
    expect(progressFraction(progress({ done: 1_200 }))).toBe(1);
  });

  it("is empty while nothing is matched yet and full once finished", () => {
    expect(progressFraction(progress({ matched: 0 }))).toBe(0);
    expect(progressFraction(progress({ state: "succeeded", matched: 0 }))).toBe(1);
    expect(progressFraction(progress({ state: "failed", done: 3 }))).toBe(1);
  });
});
