import { describe, expect, it } from "vitest";
import { FailureLimiter, LOGIN_FAILURE_WINDOW_MS, LOGIN_MAX_FAILURES } from "./rate-limit";

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("FailureLimiter", () => {
  it("locks a key after five failures in fifteen minutes, until the oldest leaves the window", () => {
    const time = clock();
    const limiter = new FailureLimiter({ now: time.now });
    expect([LOGIN_MAX_FAILURES, LOGIN_FAILURE_WINDOW_MS]).toEqual([5, 15 * 60_000]);

    for (let attempt = 0; attempt < 4; attempt += 1) {
      limiter.recordFailure("203.0.113.7");
      time.advance(60_000);
    }
    expect(limiter.check("203.0.113.7")).toEqual({ limited: false });
    limiter.recordFailure("203.0.113.7");
    // The first failure was 4 minutes ago: 11 minutes to go.
    expect(limiter.check("203.0.113.7")).toEqual({ limited: true, retryAfterMs: 11 * 60_000 });
    expect(limiter.check("198.51.100.1")).toEqual({ limited: false });

    time.advance(11 * 60_000 - 1);
    expect(limiter.check("203.0.113.7").limited).toBe(true);
    time.advance(1);
    expect(limiter.check("203.0.113.7")).toEqual({ limited: false });
  });

  it("forgets a key on reset", () => {
    const limiter = new FailureLimiter({ maxFailures: 2 });
    limiter.recordFailure("alice");
    limiter.recordFailure("alice");
    expect(limiter.check("alice").limited).toBe(true);
    limiter.reset("alice");
    expect(limiter.check("alice").limited).toBe(false);
  });

  it("tracks a bounded number of keys, dropping the oldest", () => {
    const limiter = new FailureLimiter({ maxFailures: 1, maxKeys: 100 });
    for (let key = 0; key < 1_000; key += 1) limiter.recordFailure(`user-${key}`);
    expect(limiter.trackedKeys).toBe(100);
    expect(limiter.check("user-999").limited).toBe(true);
    expect(limiter.check("user-0").limited).toBe(false);
  });

  it("drops a key whose failures have all left the window", () => {
    const time = clock();
    const limiter = new FailureLimiter({ now: time.now });
    limiter.recordFailure("alice");
    time.advance(LOGIN_FAILURE_WINDOW_MS);
    limiter.check("alice");
    expect(limiter.trackedKeys).toBe(0);
  });
});
