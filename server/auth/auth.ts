import { randomBytes } from "node:crypto";
import type { AuthMode, Principal, SessionResponse } from "@/lib/contracts/auth";
import { ACTION_MIN_ROLE, can, isWriteAction, permissionsFor, type Action, type Permissions } from "@/lib/auth/roles";
import type { AuthConfig, AuthUser } from "./config";
import { checkMutationRequest, type RequestRefusal } from "./csrf";
import { headerValue, readCookie, type HeaderSource } from "./headers";
import { hashPassword, parsePasswordHash, verifyPassword, type PasswordHash } from "./passwords";
import { normalizeAddress, proxyIdentity } from "./proxy";
import { FailureLimiter } from "./rate-limit";
import { SessionStore } from "./sessions";
import { ApiTokenIndex } from "./tokens";

/**
 * Authentication and authorization for one server process: who is asking (API token, trusted
 * proxy, session cookie, or an anonymous viewer) and whether they may do what they ask.
 *
 * Every route handler and the socket handshake ask this object; nothing is decided in Next's
 * middleware, which a crafted `x-middleware-subrequest` header could skip (CVE-2025-29927).
 */

export const SESSION_COOKIE_NAME = "outbox_lens_session";

// Each password check holds 32 MiB or more for ~100 ms. Beyond this many at once a sign-in is
// answered 503 instead of queueing: a burst of sign-ins from many addresses (which the
// per-address limit alone would not stop) cannot take the server's memory.
export const MAX_CONCURRENT_PASSWORD_CHECKS = 4;

export const ANONYMOUS_PRINCIPAL: Principal = Object.freeze({ kind: "anonymous", name: "anonymous", role: "viewer" });

/** What {@link Auth.authenticate} needs from a request, whether an HTTP request or a socket handshake. */
export interface AuthRequest {
  headers: HeaderSource;
  /** The TCP peer's address, as the socket reports it; null when unknown. */
  remoteAddress: string | null;
  /** Whether the browser's connection is TLS. */
  tls: boolean;
}

export type AuthenticateResult = { ok: true; principal: Principal } | { ok: false; status: 401 | 403; message: string };

export type LoginResult =
  | { ok: true; principal: Principal; sessionId: string }
  | { ok: false; status: 401 | 403 | 429 | 503; message: string; retryAfterSeconds?: number };

/** The settings shown to the UI and logged at start; counts only, never a secret. */
export interface AuthDescription {
  authMode: AuthMode;
  readOnly: boolean;
  readOnlyReason: string | null;
  users: number;
  tokens: number;
  proxy: boolean;
  maskFields: readonly string[];
}

export const WRONG_CREDENTIALS_MESSAGE = "wrong username or password";

/** `user "alice" (operator)`, for messages and logs. */
export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case "anonymous":
      return "an anonymous viewer";
    case "token":
      return `API token "${principal.name}" (${principal.role})`;
    case "proxy":
      return `proxy user "${principal.name}" (${principal.role})`;
    case "user":
      return `user "${principal.name}" (${principal.role})`;
  }
}

function minutesText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export interface AuthOptions {
  /** Extra origins allowed to send mutations (the server's ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Clock for sessions and the sign-in limits; tests inject one. */
  now?: () => number;
}

export class Auth {
  readonly config: AuthConfig;
  readonly allowedOrigins: readonly string[];
  private readonly sessions: SessionStore;
  private readonly tokens: ApiTokenIndex;
  private readonly users: ReadonlyMap<string, AuthUser>;
  private readonly failuresByAddress: FailureLimiter;
  private readonly failuresByUsername: FailureLimiter;
  private passwordChecksInFlight = 0;
  private decoyHash: Promise<PasswordHash> | null = null;

  constructor(config: AuthConfig, options: AuthOptions = {}) {
    this.config = config;
    this.allowedOrigins = options.allowedOrigins ?? [];
    this.sessions = new SessionStore({ ...config.session, now: options.now });
    this.tokens = new ApiTokenIndex(config.tokens);
    this.users = new Map(config.users.map((user) => [user.username, user]));
    this.failuresByAddress = new FailureLimiter({ now: options.now });
    this.failuresByUsername = new FailureLimiter({ now: options.now });
  }

  describe(): AuthDescription {
    return {
      authMode: this.config.mode,
      readOnly: this.config.readOnly,
      readOnlyReason: this.config.readOnlyReason,
      users: this.users.size,
      tokens: this.tokens.size,
      proxy: this.config.proxy !== null,
      maskFields: this.config.maskFields,
    };
  }

  /**
   * Who is asking. In order: an `Authorization: Bearer` token (a wrong one is 401, never a
   * fallback to the cookie), the trusted proxy's headers, the session cookie, and, when
   * authentication is not required, an anonymous viewer.
   */
  authenticate(request: AuthRequest): AuthenticateResult {
    const authorization = headerValue(request.headers, "authorization");
    if (authorization !== null) {
      const match = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!match?.[1]) return { ok: false, status: 401, message: "the Authorization header must be `Bearer <API token>`" };
      const token = this.tokens.find(match[1]);
      if (!token) return { ok: false, status: 401, message: "the API token is not valid (mistyped, revoked, or not configured on this server)" };
      return { ok: true, principal: { kind: "token", name: token.name, role: token.role } };
    }

    if (this.config.proxy) {
      const identity = proxyIdentity(request.headers, request.remoteAddress, this.config.proxy);
      if (identity.kind === "user") return { ok: true, principal: { kind: "proxy", name: identity.name, role: identity.role } };
      if (identity.kind === "no-role") {
        return { ok: false, status: 403, message: `proxy user "${identity.name}" is in no group that AUTH_PROXY_ROLES gives a role` };
      }
    }

    const sessionId = readCookie(request.headers, SESSION_COOKIE_NAME);
    const session = sessionId ? this.sessions.touch(sessionId) : null;
    if (session) return { ok: true, principal: { kind: "user", name: session.username, role: session.role } };

    if (this.config.mode === "none") return { ok: true, principal: ANONYMOUS_PRINCIPAL };
    if (sessionId) return { ok: false, status: 401, message: "your session has ended (it expired, you signed out, or the server restarted); sign in again" };
    return { ok: false, status: 401, message: "sign-in required: sign in, or send `Authorization: Bearer <API token>`" };
  }

  /** null when the principal may perform the action; otherwise 403 and why (read-only first). */
  authorize(principal: Principal, action: Action): RequestRefusal | null {
    if (isWriteAction(action) && this.config.readOnlyReason !== null) return { status: 403, message: this.config.readOnlyReason };
    if (!can(principal.role, action)) {
      return { status: 403, message: `${describePrincipal(principal)} may not ${action}: that needs the ${ACTION_MIN_ROLE[action]} role or higher` };
    }
    return null;
  }

  /** CSRF and content-type checks for a mutating request (see server/auth/csrf.ts); null when it may proceed. */
  checkMutation(request: AuthRequest & { method: string }): RequestRefusal | null {
    const bearer = /^Bearer /i.test(headerValue(request.headers, "authorization") ?? "");
    return checkMutationRequest({ method: request.method, headers: request.headers, tls: request.tls, allowedOrigins: this.allowedOrigins, bearer });
  }

  permissionsOf(principal: Principal | null): Permissions {
    return permissionsFor(principal?.role ?? null, this.config.readOnly);
  }

  /** The fields masked for this principal: viewers get MASK_FIELDS masked, operators and admins see all. */
  maskFieldsFor(principal: Principal | null): readonly string[] {
    return principal === null || principal.role === "viewer" ? this.config.maskFields : [];
  }

  /** The body of GET /api/auth/session. */
  sessionInfo(principal: Principal | null): SessionResponse {
    return {
      principal,
      authMode: this.config.mode,
      readOnly: this.config.readOnly,
      readOnlyReason: this.config.readOnlyReason,
      signInEnabled: this.users.size > 0,
      permissions: this.permissionsOf(principal),
      maskFields: principal ? [...this.maskFieldsFor(principal)] : [],
    };
  }

  /**
   * Checks a username and password and starts a session. Failures are counted per client address
   * and per username; a locked key is answered 429 without checking the password at all. An
   * unknown username costs the same scrypt work as a known one, so timing does not tell which
   * usernames exist.
   */
  async login(username: string, password: string, clientAddress: string | null): Promise<LoginResult> {
    if (this.users.size === 0) return { ok: false, status: 403, message: "sign-in is not available: no users are configured on this server" };

    const addressKey = (clientAddress && normalizeAddress(clientAddress)) ?? "unknown";
    const usernameKey = username.toLowerCase();
    const locks = [this.failuresByAddress.check(addressKey), this.failuresByUsername.check(usernameKey)];
    const retryAfterMs = Math.max(0, ...locks.map((lock) => (lock.limited ? lock.retryAfterMs : 0)));
    if (retryAfterMs > 0) {
      const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
      return { ok: false, status: 429, message: `too many failed sign-in attempts; try again in ${minutesText(retryAfterSeconds)}`, retryAfterSeconds };
    }

    if (this.passwordChecksInFlight >= MAX_CONCURRENT_PASSWORD_CHECKS) {
      return { ok: false, status: 503, message: "the server is busy checking other sign-ins; try again in a moment", retryAfterSeconds: 1 };
    }
    const user = this.users.get(username);
    this.passwordChecksInFlight += 1;
    let matches: boolean;
    try {
      matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoy()));
    } finally {
      this.passwordChecksInFlight -= 1;
    }

    if (!user || !matches) {
      this.failuresByAddress.recordFailure(addressKey);
      this.failuresByUsername.recordFailure(usernameKey);
      return { ok: false, status: 401, message: WRONG_CREDENTIALS_MESSAGE };
    }
    // Only the username's count is forgiven: the address may be guessing other accounts.
    this.failuresByUsername.reset(usernameKey);
    const sessionId = this.sessions.create({ username: user.username, role: user.role });
    return { ok: true, principal: { kind: "user", name: user.username, role: user.role }, sessionId };
  }

  /** Ends the session the cookie names, if any. */
  logout(sessionId: string | null): void {
    if (sessionId) this.sessions.delete(sessionId);
  }

  /** The session id in a request's cookies, if any. */
  sessionIdFrom(headers: HeaderSource): string | null {
    return readCookie(headers, SESSION_COOKIE_NAME);
  }

  /**
   * The Set-Cookie value for a new session. HttpOnly (page scripts never see it), SameSite=Strict
   * (never sent on cross-site requests), Secure when the browser came over TLS, and no longer-lived
   * than the session's absolute limit.
   */
  sessionCookie(sessionId: string, options: { secure: boolean }): string {
    const maxAge = Math.floor(this.sessions.absoluteLifetimeMs / 1000);
    return `${SESSION_COOKIE_NAME}=${sessionId}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${options.secure ? "; Secure" : ""}`;
  }

  /** The Set-Cookie value that removes the session cookie. */
  clearedCookie(options: { secure: boolean } = { secure: false }): string {
    return `${SESSION_COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${options.secure ? "; Secure" : ""}`;
  }

  /** A hash no password matches, with the first user's parameters so its cost is the same. */
  private decoy(): Promise<PasswordHash> {
    const [first] = this.users.values();
    this.decoyHash ??= hashPassword(randomBytes(32).toString("base64url"), first?.passwordHash)
      .then(parsePasswordHash)
      .catch((error: unknown) => {
        // Not cached: the next unknown username tries again instead of failing forever.
        this.decoyHash = null;
        throw error;
      });
    return this.decoyHash;
  }
}
