import { describe, expect, it } from "vitest";
import { SessionStore } from "./sessions";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const alice = { username: "alice", role: "operator" } as const;

describe("SessionStore", () => {
  it("finds a session by its id and reports when it expires", () => {
    const time = clock();
    const store = new SessionStore({ idleMs: 8 * HOUR, absoluteMs: 24 * HOUR, now: time.now });
    const id = store.create(alice);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.touch(id)).toMatchObject({ username: "alice", role: "operator", expiresAt: time.now() + 8 * HOUR });
    expect(store.touch("x".repeat(43))).toBeNull();
    expect(store.touch("not a session id")).toBeNull();
  });

  it("ends a session left idle, and use keeps it alive", () => {
    const time = clock();
    const store = new SessionStore({ idleMs: 30 * MINUTE, absoluteMs: 24 * HOUR, now: time.now });
    const used = store.create(alice);
    const idle = store.create({ username: "bob", role: "viewer" });
    for (let step = 0; step < 3; step += 1) {
      time.advance(20 * MINUTE);
      expect(store.touch(used)).not.toBeNull();
    }
    expect(store.touch(idle)).toBeNull();
    expect(store.size).toBe(1);
  });

  it("ends every session at its absolute limit, however busy", () => {
    const time = clock();
    const store = new SessionStore({ idleMs: 30 * MINUTE, absoluteMs: 2 * HOUR, now: time.now });
    const id = store.create(alice);
    for (let elapsed = 0; elapsed < 2 * HOUR - 10 * MINUTE; elapsed += 10 * MINUTE) {
      time.advance(10 * MINUTE);
      expect(store.touch(id)).not.toBeNull();
    }
    expect(store.touch(id)?.expiresAt).toBe(clock().now() + 2 * HOUR);
    time.advance(10 * MINUTE);
    expect(store.touch(id)).toBeNull();
  });

  it("ends a session on sign-out", () => {
    const store = new SessionStore({ idleMs: HOUR, absoluteMs: HOUR });
    const id = store.create(alice);
    store.delete(id);
    expect(store.touch(id)).toBeNull();
  });

  it("holds at most maxSessions, dropping expired ones first, then the least recently used", () => {
    const time = clock();
    const store = new SessionStore({ idleMs: HOUR, absoluteMs: 24 * HOUR, maxSessions: 3, now: time.now });
    const first = store.create(alice);
    const second = store.create(alice);
    const third = store.create(alice);
    store.touch(first);
    const fourth = store.create(alice);
    expect(store.size).toBe(3);
    expect(store.touch(second)).toBeNull();
    expect(store.touch(first)).not.toBeNull();
    expect(store.touch(third)).not.toBeNull();
    expect(store.touch(fourth)).not.toBeNull();

    // All idle past the timeout: the next session replaces them all instead of one.
    time.advance(2 * HOUR);
    store.create(alice);
    expect(store.size).toBe(1);
  });
});
