import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "@/lib/auth/roles";
import { Auth, MAX_CONCURRENT_PASSWORD_CHECKS, SESSION_COOKIE_NAME, WRONG_CREDENTIALS_MESSAGE, type AuthRequest } from "./auth";
import { READ_ONLY_BY_DEFAULT_REASON, readAuthConfig } from "./config";
import { hashPassword } from "./passwords";
import { generateApiToken, hashApiToken } from "./tokens";

const PASSWORD = "correct horse battery staple";
const TOKEN = generateApiToken();
let users: string;

beforeAll(async () => {
  // The cheapest accepted cost: these tests check logic, not scrypt.
  const hash = await hashPassword(PASSWORD, { logN: 14, r: 8, p: 1 });
  users = `alice:operator:${hash};vera:viewer:${hash}`;
});

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function makeAuth(env: Record<string, string> = {}, now?: () => number): Auth {
  return new Auth(readAuthConfig({ AUTH_USERS: users, AUTH_TOKENS: `ci:operator:${hashApiToken(TOKEN)}`, ...env }), { now });
}

function request(headers: Record<string, string> = {}, remoteAddress: string | null = "192.0.2.10"): AuthRequest {
  return { headers: new Headers(headers), remoteAddress, tls: false };
}

function cookie(sessionId: string): Record<string, string> {
  return { cookie: `theme=dark; ${SESSION_COOKIE_NAME}=${sessionId}` };
}

async function signIn(auth: Auth, username = "alice"): Promise<string> {
  const result = await auth.login(username, PASSWORD, "192.0.2.10");
  if (!result.ok) throw new Error(result.message);
  return result.sessionId;
}

describe("Auth.authenticate", () => {
  it("answers 401 without credentials when users are configured", () => {
    expect(makeAuth().authenticate(request())).toEqual({ ok: false, status: 401, message: expect.stringMatching(/^sign-in required/) });
  });

  it("stays unauthenticated with an x-middleware-subrequest header (CVE-2025-29927)", () => {
    const result = makeAuth().authenticate(request({ "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" }));
    expect(result).toMatchObject({ ok: false, status: 401 });
  });

  it("knows a signed-in browser by its session cookie", async () => {
    const auth = makeAuth();
    const result = auth.authenticate(request(cookie(await signIn(auth))));
    expect(result).toEqual({ ok: true, principal: { kind: "user", name: "alice", role: "operator" } });
  });

  it("answers 401 for a session that has ended, saying so", async () => {
    const time = clock();
    const auth = makeAuth({ SESSION_IDLE_MINUTES: "10" }, time.now);
    const sessionId = await signIn(auth);
    time.advance(10 * 60_000);
    expect(auth.authenticate(request(cookie(sessionId)))).toMatchObject({ ok: false, status: 401, message: expect.stringMatching(/your session has ended/) });
  });

  it("knows an API token, refuses a wrong one with 401 and never falls back to the cookie", async () => {
    const auth = makeAuth();
    expect(auth.authenticate(request({ authorization: `Bearer ${TOKEN}` }))).toEqual({ ok: true, principal: { kind: "token", name: "ci", role: "operator" } });
    const sessionId = await signIn(auth);
    expect(auth.authenticate(request({ authorization: `Bearer ${generateApiToken()}`, ...cookie(sessionId) }))).toMatchObject({ ok: false, status: 401 });
    expect(auth.authenticate(request({ authorization: "Basic YWxpY2U6cHc=" }))).toMatchObject({ ok: false, status: 401, message: expect.stringContaining("Bearer") });
  });

  it("takes proxy headers only from a trusted address", () => {
    const auth = makeAuth({ TRUSTED_PROXY_ADDRESSES: "10.0.0.5", AUTH_PROXY_ROLES: "ops=operator" });
    const headers = { "x-forwarded-user": "pat", "x-forwarded-groups": "ops" };
    expect(auth.authenticate(request(headers, "::ffff:10.0.0.5"))).toEqual({ ok: true, principal: { kind: "proxy", name: "pat", role: "operator" } });
    expect(auth.authenticate(request(headers, "192.0.2.10"))).toMatchObject({ ok: false, status: 401 });
    expect(auth.authenticate(request({ "x-forwarded-user": "pat", "x-forwarded-groups": "sales" }, "10.0.0.5"))).toMatchObject({ ok: false, status: 403 });
  });

  it("lets everyone in as an anonymous viewer when nothing is configured", () => {
    const auth = new Auth(readAuthConfig({}));
    expect(auth.authenticate(request())).toEqual({ ok: true, principal: { kind: "anonymous", name: "anonymous", role: "viewer" } });
    expect(auth.authenticate(request(cookie("x".repeat(43))))).toMatchObject({ ok: true, principal: { kind: "anonymous" } });
  });
});

describe("Auth.authorize", () => {
  it("refuses every write action in the default read-only mode, with the reason", () => {
    const auth = new Auth(readAuthConfig({}));
    const anonymous = { kind: "anonymous", name: "anonymous", role: "viewer" } as const;
    for (const action of [ACTIONS.retryOutbox, ACTIONS.replayOutbox, ACTIONS.restartConnector]) {
      expect(auth.authorize(anonymous, action)).toEqual({ status: 403, message: READ_ONLY_BY_DEFAULT_REASON });
    }
    expect(auth.authorize(anonymous, ACTIONS.read)).toBeNull();
  });

  it("refuses writes to an operator when READ_ONLY=true, and lets an admin read the whole audit log", () => {
    const auth = makeAuth({ READ_ONLY: "true" });
    expect(auth.authorize({ kind: "user", name: "alice", role: "operator" }, ACTIONS.retryOutbox)?.message).toBe("Outbox Lens is read-only: READ_ONLY=true is set");
    expect(auth.authorize({ kind: "user", name: "root", role: "admin" }, ACTIONS.readAllAudit)).toBeNull();
  });

  it("refuses an action above the role, naming who and what is needed", () => {
    const auth = makeAuth();
    expect(auth.authorize({ kind: "user", name: "vera", role: "viewer" }, ACTIONS.replayOutbox)).toEqual({
      status: 403,
      message: 'user "vera" (viewer) may not outbox:replay: that needs the operator role or higher',
    });
    expect(auth.authorize({ kind: "token", name: "ci", role: "operator" }, ACTIONS.replayOutbox)).toBeNull();
  });
});

describe("Auth.login", () => {
  it("starts a session for the right password and refuses a wrong one or an unknown user alike", async () => {
    const auth = makeAuth();
    const result = await auth.login("alice", PASSWORD, "192.0.2.10");
    expect(result).toMatchObject({ ok: true, principal: { kind: "user", name: "alice", role: "operator" }, sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(await auth.login("alice", "wrong", "192.0.2.10")).toEqual({ ok: false, status: 401, message: WRONG_CREDENTIALS_MESSAGE });
    expect(await auth.login("mallory", PASSWORD, "192.0.2.10")).toEqual({ ok: false, status: 401, message: WRONG_CREDENTIALS_MESSAGE });
  });

  it("locks an address out after five failures with 429 and Retry-After, even for the right password, then lets it in", async () => {
    const time = clock();
    const auth = makeAuth({}, time.now);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await auth.login(`guess${attempt}`, "wrong", "::ffff:198.51.100.9")).toMatchObject({ status: 401 });
    }
    const locked = await auth.login("alice", PASSWORD, "198.51.100.9");
    expect(locked).toEqual({ ok: false, status: 429, message: "too many failed sign-in attempts; try again in 15 minutes", retryAfterSeconds: 900 });
    // Another address is not affected.
    expect(await auth.login("alice", PASSWORD, "192.0.2.10")).toMatchObject({ ok: true });
    time.advance(15 * 60_000);
    expect(await auth.login("alice", PASSWORD, "198.51.100.9")).toMatchObject({ ok: true });
  });

  it("locks a username out after five failures from different addresses", async () => {
    const auth = makeAuth();
    for (let attempt = 0; attempt < 5; attempt += 1) await auth.login("vera", "wrong", `203.0.113.${attempt}`);
    expect(await auth.login("Vera", PASSWORD, "192.0.2.99")).toMatchObject({ ok: false, status: 429 });
    expect(await auth.login("alice", PASSWORD, "192.0.2.99")).toMatchObject({ ok: true });
  });

  it("answers 503 instead of queueing when too many password checks run at once", async () => {
    const auth = makeAuth();
    const attempts = Array.from({ length: MAX_CONCURRENT_PASSWORD_CHECKS + 2 }, (_, index) => auth.login("alice", PASSWORD, `192.0.2.${index}`));
    const statuses = (await Promise.all(attempts)).map((result) => (result.ok ? 200 : result.status));
    expect(statuses.filter((status) => status === 200)).toHaveLength(MAX_CONCURRENT_PASSWORD_CHECKS);
    expect(statuses.filter((status) => status === 503)).toHaveLength(2);
  });

  it("is not available without users", async () => {
    expect(await new Auth(readAuthConfig({})).login("alice", PASSWORD, null)).toMatchObject({ ok: false, status: 403, message: expect.stringContaining("no users are configured") });
  });
});

describe("sessions and cookies", () => {
  it("sign-out ends the session on the server", async () => {
    const auth = makeAuth();
    const sessionId = await signIn(auth);
    auth.logout(sessionId);
    expect(auth.authenticate(request(cookie(sessionId)))).toMatchObject({ ok: false, status: 401 });
  });

  it("sets an HttpOnly, SameSite=Strict cookie, Secure over TLS, no longer-lived than the session", () => {
    const auth = makeAuth({ SESSION_MAX_HOURS: "12" });
    expect(auth.sessionCookie("abc", { secure: false })).toBe(`${SESSION_COOKIE_NAME}=abc; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict`);
    expect(auth.sessionCookie("abc", { secure: true })).toMatch(/; Secure$/);
    expect(auth.clearedCookie()).toBe(`${SESSION_COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
  });

  it("describes itself without secrets, and masks fields for viewers only", () => {
    const auth = makeAuth({ MASK_FIELDS: "email" });
    const description = auth.describe();
    expect(description).toEqual({ authMode: "required", readOnly: false, readOnlyReason: null, users: 2, tokens: 1, proxy: false, maskFields: ["email"] });
    expect(JSON.stringify(description)).not.toMatch(/scrypt|sha256/);
    expect(auth.maskFieldsFor({ kind: "user", name: "vera", role: "viewer" })).toEqual(["email"]);
    expect(auth.maskFieldsFor({ kind: "user", name: "alice", role: "operator" })).toEqual([]);
  });
});
