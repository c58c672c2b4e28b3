import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as session } from "@/app/api/auth/session/route";
import { sessionResponseSchema } from "@/lib/contracts/auth";
import { ACTIONS } from "@/lib/auth/roles";
import { Auth, SESSION_COOKIE_NAME } from "./auth";
import { readAuthConfig } from "./config";
import { hashPassword } from "./passwords";
import { setAuth } from "./registry";
import { guard, guardMutation, REMOTE_ADDRESS_HEADER, TLS_HEADER } from "./route";

const ORIGIN = "http://lens.test";
const PASSWORD = "correct horse battery staple";
let users: string;

beforeAll(async () => {
  users = `alice:operator:${await hashPassword(PASSWORD, { logN: 14, r: 8, p: 1 })}`;
});

afterEach(() => setAuth(null));

function install(env: Record<string, string>): Auth {
  const auth = new Auth(readAuthConfig(env));
  setAuth(auth);
  return auth;
}

function post(path: string, body: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    body,
    headers: { host: "lens.test", origin: ORIGIN, "content-type": "application/json", [REMOTE_ADDRESS_HEADER]: "192.0.2.10", ...headers },
  });
}

function get(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, { headers: { host: "lens.test", ...headers } });
}

async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error;
}

const retrySchema = z.object({ eventIds: z.array(z.string()).min(1) });

describe("guard", () => {
  it("answers 503 when the server has not installed Auth", async () => {
    const response = guard(get("/api/outbox"), ACTIONS.read);
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(503);
  });

  it("answers 401 without credentials, as JSON that no cache keeps", async () => {
    install({ AUTH_USERS: users });
    const response = guard(get("/api/outbox", { "x-middleware-subrequest": "middleware" }), ACTIONS.read) as Response;
    expect(response.status).toBe(401);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await errorOf(response)).toMatch(/sign-in required/);
  });

  it("lets an anonymous viewer read when nothing is configured", () => {
    install({});
    expect(guard(get("/api/outbox"), ACTIONS.read)).toMatchObject({ principal: { kind: "anonymous", role: "viewer" } });
  });
});

describe("guardMutation", () => {
  it("refuses a write with 403 and the read-only reason when nothing is configured", async () => {
    install({});
    const response = (await guardMutation(post("/api/outbox/retry", '{"eventIds":["a"]}'), ACTIONS.retryOutbox, retrySchema)) as Response;
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatch(/^Outbox Lens is read-only: no users or tokens are configured/);
  });

  it("refuses a cross-site text/plain form post before looking at anything else", async () => {
    install({ AUTH_USERS: users });
    const forged = post("/api/outbox/retry", "eventIds=a", { origin: "https://evil.example", "content-type": "text/plain" });
    const response = (await guardMutation(forged, ACTIONS.retryOutbox, retrySchema)) as Response;
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toMatch(/cross-site request refused/);
  });

  it("passes an authorized same-origin JSON request with its validated body, and names an unknown field", async () => {
    const auth = install({ AUTH_USERS: users });
    const signedIn = await auth.login("alice", PASSWORD, "192.0.2.10");
    if (!signedIn.ok) throw new Error(signedIn.message);
    const cookie = `${SESSION_COOKIE_NAME}=${signedIn.sessionId}`;

    const accepted = await guardMutation(post("/api/outbox/retry", '{"eventIds":["a"]}', { cookie }), ACTIONS.retryOutbox, retrySchema);
    expect(accepted).toMatchObject({ principal: { name: "alice" }, body: { eventIds: ["a"] } });

    const typo = (await guardMutation(post("/api/outbox/retry", '{"eventIds":["a"],"evntIds":[]}', { cookie }), ACTIONS.retryOutbox, retrySchema)) as Response;
    expect(typo.status).toBe(422);
    expect(await errorOf(typo)).toBe('invalid request body: unknown field "evntIds"');
  });
});

describe("auth routes", () => {
  it("sign in, read the session, sign out", async () => {
    install({ AUTH_USERS: users, MASK_FIELDS: "email" });
    const signedIn = await login(post("/api/auth/login", JSON.stringify({ username: "alice", password: PASSWORD }), { [TLS_HEADER]: "1", origin: "https://lens.test" }));
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual({ principal: { kind: "user", name: "alice", role: "operator" } });
    const setCookie = signedIn.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly; SameSite=Strict; Secure$/);
    const cookie = setCookie.split(";")[0] as string;

    const info = sessionResponseSchema.parse(await (await session(get("/api/auth/session", { cookie }))).json());
    expect(info).toEqual({
      principal: { kind: "user", name: "alice", role: "operator" },
      authMode: "required",
      readOnly: false,
      readOnlyReason: null,
      signInEnabled: true,
      permissions: { retry: true, replay: true, restartConnector: true, auditAll: false },
      maskFields: [],
    });

    const signedOut = await logout(post("/api/auth/logout", "{}", { cookie }));
    expect(signedOut.status).toBe(200);
    expect(signedOut.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const after = await session(get("/api/auth/session", { cookie }));
    expect(((await after.json()) as { principal: unknown }).principal).toBeNull();
    expect(after.headers.get("set-cookie")).toMatch(/Max-Age=0/);
  });

  it("refuses a wrong password with 401 and, after five, answers 429 with Retry-After", async () => {
    install({ AUTH_USERS: users });
    const attempt = () => login(post("/api/auth/login", JSON.stringify({ username: "alice", password: "wrong" })));
    for (let count = 0; count < 5; count += 1) {
      const response = await attempt();
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toBe("wrong username or password");
    }
    const locked = await attempt();
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toBe("900");
    expect(await errorOf(locked)).toBe("too many failed sign-in attempts; try again in 15 minutes");
  });

  it("refuses a login body with an unknown field, and a cross-site login", async () => {
    install({ AUTH_USERS: users });
    const extra = await login(post("/api/auth/login", JSON.stringify({ username: "alice", password: PASSWORD, remember: true })));
    expect(extra.status).toBe(422);
    expect(await errorOf(extra)).toMatch(/unknown field "remember"/);
    const missing = await login(post("/api/auth/login", JSON.stringify({ username: "alice" })));
    expect(await errorOf(missing)).toBe('invalid request body: field "password": is required');
    const forged = await login(post("/api/auth/login", JSON.stringify({ username: "alice", password: PASSWORD }), { origin: "https://evil.example" }));
    expect(forged.status).toBe(403);
  });

  it("answers 503 from every auth route when Auth is not installed", async () => {
    expect((await session(get("/api/auth/session"))).status).toBe(503);
    expect((await login(post("/api/auth/login", "{}"))).status).toBe(503);
    expect((await logout(post("/api/auth/logout", "{}"))).status).toBe(503);
  });
});
