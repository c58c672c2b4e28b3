/**
 * Failed sign-ins per key (a client address, a username): after `maxFailures` failures within
 * `windowMs` the key is locked until the oldest of them leaves the window.
 *
 * Only failures count, so a user who signs in correctly is never slowed down. The per-username
 * lock also lets anyone lock a known username out for the window; that is the accepted price of
 * stopping a password guessed slowly from many addresses.
 */

// Five failures in fifteen minutes: enough for a few typos, far too few to guess a password.
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60 * 1000;

// Keys tracked per limiter; each entry is at most LOGIN_MAX_FAILURES timestamps. When full, the
// entry created first goes (usually expired already, and O(1) to find, so a flood of new keys
// costs no scans): an attacker would need thousands of fresh addresses or usernames to push a
// victim's entry out, and the addresses stay locked by their own entries meanwhile.
export const MAX_TRACKED_LOGIN_KEYS = 10_000;

export interface FailureLimiterSettings {
  maxFailures?: number;
  windowMs?: number;
  maxKeys?: number;
  now?: () => number;
}

export type LimitVerdict = { limited: false } | { limited: true; retryAfterMs: number };

export class FailureLimiter {
  /** Failure times per key, oldest first, at most maxFailures of them. */
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(settings: FailureLimiterSettings = {}) {
    this.maxFailures = settings.maxFailures ?? LOGIN_MAX_FAILURES;
    this.windowMs = settings.windowMs ?? LOGIN_FAILURE_WINDOW_MS;
    this.maxKeys = settings.maxKeys ?? MAX_TRACKED_LOGIN_KEYS;
    this.now = settings.now ?? Date.now;
  }

  get trackedKeys(): number {
    return this.failures.size;
  }

  /** Whether the key is locked now, and for how much longer. */
  check(key: string): LimitVerdict {
    const times = this.recent(key, this.now());
    if (!times || times.length < this.maxFailures) return { limited: false };
    return { limited: true, retryAfterMs: (times[0] ?? 0) + this.windowMs - this.now() };
  }

  recordFailure(key: string): void {
    const now = this.now();
    let times = this.recent(key, now);
    if (!times) {
      this.makeRoom();
      times = [];
      this.failures.set(key, times);
    }
    times.push(now);
    if (times.length > this.maxFailures) times.splice(0, times.length - this.maxFailures);
  }

  /** Forgets the key's failures (after a successful sign-in). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  /** The key's failures still inside the window; drops the entry when none are. */
  private recent(key: string, now: number): number[] | undefined {
    const times = this.failures.get(key);
    if (!times) return undefined;
    const firstRecent = times.findIndex((time) => time > now - this.windowMs);
    if (firstRecent === -1) {
      this.failures.delete(key);
      return undefined;
    }
    if (firstRecent > 0) times.splice(0, firstRecent);
    return times;
  }

  private makeRoom(): void {
    while (this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }
}
