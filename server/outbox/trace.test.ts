import { describe, expect, it } from "vitest";
import type { AuditEntry } from "@/lib/contracts/audit";
import { mergeWindows } from "@/server/kafka/event-messages";
import { MAX_TRACE_REPLAY_WINDOWS, traceSearchWindows } from "./trace";

const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MINUTE = 60_000;

function replay(id: number, startMs: number, endMs: number | null, topic = "outbox.events", overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: at(startMs),
    finishedAt: endMs === null ? null : at(endMs),
    actor: "operator",
    actorKind: "user",
    role: "operator",
    action: "outbox:replay",
    target: { eventIds: ["e"] },
    dryRun: false,
    reason: null,
    matched: 1,
    changed: 1,
    skipped: 0,
    failed: 0,
    idempotencyKey: null,
    outcome: "succeeded",
    error: null,
    topic,
    ...overrides,
  };
}

const row = { createdAt: at(0), updatedAt: at(2_000), processedAt: at(3_000) };

describe("the windows of an event trace's search", () => {
  it("covers the row's life on the outbox topic: from a little before its creation to a minute after its last change", () => {
    expect(traceSearchWindows(row, [], "outbox.events", T0)).toEqual(new Map([["outbox.events", [{ sinceMs: T0 - 5_000, untilMs: T0 + 3_000 + MINUTE }]]]));
  });

  it("adds a window around each replay made long after the last change, on the topic it went to", () => {
    const actions = [replay(3, 90 * MINUTE, 90 * MINUTE + 400, "outbox.replays"), replay(2, 30 * MINUTE, 30 * MINUTE + 800)];
    expect(traceSearchWindows(row, actions, "outbox.events", T0)).toEqual(
      new Map([
        [
          "outbox.events",
          [
            { sinceMs: T0 - 5_000, untilMs: T0 + 3_000 + MINUTE },
            { sinceMs: T0 + 30 * MINUTE - 5_000, untilMs: T0 + 30 * MINUTE + 800 + 5_000 },
          ],
        ],
        ["outbox.replays", [{ sinceMs: T0 + 90 * MINUTE - 5_000, untilMs: T0 + 90 * MINUTE + 400 + 5_000 }]],
      ]),
    );
  });

  it("adds a window around a re-produce of one of its records from the Messages page", () => {
    const reproduce = replay(4, 45 * MINUTE, 45 * MINUTE + 50, "outbox.replays", { action: "message:reproduce", target: { topic: "outbox.events", partition: 1, offset: "12", eventId: "e" } });
    expect(traceSearchWindows(row, [reproduce], "outbox.events", T0).get("outbox.replays")).toEqual([{ sinceMs: T0 + 45 * MINUTE - 5_000, untilMs: T0 + 45 * MINUTE + 50 + 5_000 }]);
  });

  it("ends a running replay's window at now", () => {
    const windows = traceSearchWindows(row, [replay(2, 20_000, null)], "outbox.events", T0 + 2 * MINUTE);
    expect(windows.get("outbox.events")).toEqual([
      { sinceMs: T0 - 5_000, untilMs: T0 + 3_000 + MINUTE },
      { sinceMs: T0 + 20_000 - 5_000, untilMs: T0 + 2 * MINUTE + 5_000 },
    ]);
  });

  it("ignores dry runs, retries and the older replays past the limit", () => {
    const replays = Array.from({ length: MAX_TRACE_REPLAY_WINDOWS + 5 }, (_, i) => replay(100 - i, (200 - 2 * i) * MINUTE, (200 - 2 * i) * MINUTE + 100));
    const others = [replay(500, 500 * MINUTE, 500 * MINUTE, "outbox.events", { dryRun: true }), replay(501, 600 * MINUTE, 600 * MINUTE, "outbox.events", { action: "outbox:retry", topic: null })];
    const windows = traceSearchWindows(row, [...others, ...replays], "outbox.events", T0).get("outbox.events")!;
    expect(windows).toHaveLength(1 + MAX_TRACE_REPLAY_WINDOWS);
    // The newest replays, newest first after the row's own window.
    expect(windows[1]!.sinceMs).toBe(T0 + 200 * MINUTE - 5_000);
    expect(windows.at(-1)!.sinceMs).toBe(T0 + (200 - 2 * (MAX_TRACE_REPLAY_WINDOWS - 1)) * MINUTE - 5_000);
  });
});

describe("merging search windows", () => {
  it("sorts, joins overlapping and touching windows, and drops empty ones", () => {
    expect(
      mergeWindows([
        { sinceMs: 50, untilMs: 60 },
        { sinceMs: 0, untilMs: 10 },
        { sinceMs: 10, untilMs: 20 },
        { sinceMs: 30, untilMs: 20 },
        { sinceMs: 55, untilMs: 58 },
      ]),
    ).toEqual([
      { sinceMs: 0, untilMs: 20 },
      { sinceMs: 50, untilMs: 60 },
    ]);
  });
});
