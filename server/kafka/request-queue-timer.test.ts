import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { installRequestQueueTimerFix, type RequestQueueLike } from "./request-queue-timer";

const requireHere = createRequire(import.meta.url);
const RequestQueue = requireHere("kafkajs/src/network/requestQueue/index.js") as new (options: object) => RequestQueueLike;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function queue(): RequestQueueLike {
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: "test", broker: "b:1", logger: silent });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("KafkaJS's request queue timer", () => {
  it("runs a check every millisecond with nothing to check, as KafkaJS 2.2.4 ships it", () => {
    vi.useFakeTimers();
    const idle = queue();
    const check = vi.spyOn(idle, "checkPendingRequests");
    idle.checkPendingRequests();
    vi.advanceTimersByTime(100);
    expect(check.mock.calls.length).toBeGreaterThan(50);
    (idle as unknown as { destroy(): void }).destroy();
  });

  it("once fixed, schedules nothing when no request waits and no throttle runs", () => {
    installRequestQueueTimerFix();
    vi.useFakeTimers();
    const idle = queue();
    const check = vi.spyOn(idle, "checkPendingRequests");
    idle.checkPendingRequests();
    vi.advanceTimersByTime(100);
    expect(check).toHaveBeenCalledTimes(1);
    expect(idle.throttleCheckTimeoutId).toBeNull();
  });

  it("once fixed, checks a waiting request after the throttle, or after 10 ms without one", () => {
    installRequestQueueTimerFix();
    vi.useFakeTimers();
    const throttled = queue();
    throttled.pending.push({});
    throttled.throttledUntil = Date.now() + 250;
    const check = vi.spyOn(throttled, "checkPendingRequests").mockImplementation(() => undefined);
    throttled.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(249);
    expect(check).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(check).toHaveBeenCalledTimes(1);

    const waiting = queue();
    waiting.pending.push({});
    const waitingCheck = vi.spyOn(waiting, "checkPendingRequests").mockImplementation(() => undefined);
    waiting.scheduleCheckPendingRequests();
    vi.advanceTimersByTime(10);
    expect(waitingCheck).toHaveBeenCalledTimes(1);
  });
});
