import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/roles";

/**
 * Server-side sign-in sessions, in memory.
 *
 * The browser holds only a random session id in an HttpOnly cookie; who it belongs to and when it
 * expires live here. Consequences, on purpose: restarting the server signs everyone out (there is
 * no session database to secure or migrate), and behind a load balancer every browser must stay on
 * one dashboard process (sticky sessions).
 *
 * The map is keyed by the SHA-256 of the id, not the id itself, so a heap snapshot or a debugger
 * shows no cookie that could be replayed, and the lookup compares digests, not attacker-chosen
 * strings.
 */

// Every signed-in browser is one entry of about 200 bytes. Far beyond any team that operates one
// pipeline, yet a bound: a client signing in in a loop cannot grow the map without limit.
export const MAX_SESSIONS = 10_000;

export const SESSION_ID_BYTES = 32;
// 32 bytes in unpadded base64url are 43 characters.
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface SessionSettings {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however busy. */
  absoluteMs: number;
  maxSessions?: number;
  now?: () => number;
}

export interface Session {
  username: string;
  role: Role;
  createdAt: number;
  lastSeenAt: number;
  /** When the session ends unless it is used again before its idle timeout. */
  expiresAt: number;
}

interface SessionRecord {
  username: string;
  role: Role;
  createdAt: number;
  lastSeenAt: number;
}

function digest(sessionId: string): string {
  return createHash("sha256").update(sessionId, "utf8").digest("base64url");
}

export class SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(settings: SessionSettings) {
    this.idleMs = settings.idleMs;
    this.absoluteMs = settings.absoluteMs;
    this.maxSessions = settings.maxSessions ?? MAX_SESSIONS;
    this.now = settings.now ?? Date.now;
  }

  get size(): number {
    return this.records.size;
  }

  /** Longest a session can live, for the cookie's Max-Age. */
  get absoluteLifetimeMs(): number {
    return this.absoluteMs;
  }

  /**
   * Starts a session and returns its id (the cookie value). At the cap, expired sessions are
   * dropped first; if none are, the least recently used session ends, so a legitimate sign-in
   * always succeeds.
   */
  create(user: { username: string; role: Role }): string {
    const now = this.now();
    if (this.records.size >= this.maxSessions) this.sweep();
    while (this.records.size >= this.maxSessions) {
      const leastRecent = this.records.keys().next();
      if (leastRecent.done) break;
      this.records.delete(leastRecent.value);
    }
    const sessionId = randomBytes(SESSION_ID_BYTES).toString("base64url");
    this.records.set(digest(sessionId), { username: user.username, role: user.role, createdAt: now, lastSeenAt: now });
    return sessionId;
  }

  /** The live session with this id, marked as used now; null when unknown or expired (and then forgotten). */
  touch(sessionId: string): Session | null {
    if (!SESSION_ID_PATTERN.test(sessionId)) return null;
    const key = digest(sessionId);
    const record = this.records.get(key);
    if (!record) return null;
    const now = this.now();
    if (this.isExpired(record, now)) {
      this.records.delete(key);
      return null;
    }
    record.lastSeenAt = now;
    // Re-inserting moves the entry to the end: the map's order is least recently used first,
    // which is what create() evicts from.
    this.records.delete(key);
    this.records.set(key, record);
    return { ...record, expiresAt: this.expiresAt(record) };
  }

  /** Ends a session (sign-out). Unknown ids are ignored. */
  delete(sessionId: string): void {
    if (SESSION_ID_PATTERN.test(sessionId)) this.records.delete(digest(sessionId));
  }

  /** Forgets every expired session; returns how many. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [key, record] of this.records) {
      if (this.isExpired(record, now)) {
        this.records.delete(key);
        removed += 1;
      }
    }
    return removed;
  }

  private expiresAt(record: SessionRecord): number {
    return Math.min(record.lastSeenAt + this.idleMs, record.createdAt + this.absoluteMs);
  }

  private isExpired(record: SessionRecord, now: number): boolean {
    return now >= this.expiresAt(record);
  }
}
