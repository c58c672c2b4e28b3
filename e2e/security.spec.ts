import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { openSocket } from "./lib/raw-socket";
import { bearer, signIn } from "./lib/stack-auth";

// Every route and socket event checks who asks, on the server: these requests come from scripts
// (Playwright's request context, a raw socket.io client), not through the UI.

// Specs share the server's sign-in limiter with nothing that fails to sign in: brute force is
// tried against a server of its own (security-modes.spec.ts).
test.use({ storageState: { cookies: [], origins: [] } });

const HANDSHAKE = "/socket.io/?EIO=4&transport=polling";
const RESTART = "/api/connector/restart";
const READS = ["/api/health", "/metrics", "/api/auth/session"] as const;

function sameOrigin(baseURL: string): Record<string, string> {
  return { origin: new URL(baseURL).origin };
}

async function sessionFor(baseURL: string, role: Role): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  await signIn(context, baseURL, role);
  return context;
}

test.describe("without credentials", () => {
  test("every read route answers 401 with the reason, and the readiness probe stays open", async ({ request }) => {
    for (const path of ["/api/health", "/metrics"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(401);
      expect((await response.json()).error).toMatch(/sign-in required/);
      expect(response.headers()["www-authenticate"]).toContain("Bearer");
    }
    // The session endpoint says who is asking (nobody) instead of refusing.
    expect((await (await request.get("/api/auth/session")).json()).principal).toBeNull();
    expect((await request.get("/api/ready")).status()).toBe(200);
  });

  test("a write answers 401, and pages send the browser to sign in", async ({ request, baseURL }) => {
    const restart = await request.post(RESTART, { data: {}, headers: sameOrigin(baseURL!) });
    expect(restart.status()).toBe(401);
    const page = await request.get("/consumers?range=5m", { maxRedirects: 0 });
    expect(page.status()).toBe(302);
    expect(page.headers().location).toBe(`/login?next=${encodeURIComponent("/consumers?range=5m")}`);
  });

  test("x-middleware-subrequest headers do not let a request through", async ({ request, baseURL }) => {
    const headers = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware", "x-middleware-prefetch": "1" };
    expect((await request.get("/api/health", { headers })).status()).toBe(401);
    expect((await request.get("/metrics", { headers })).status()).toBe(401);
    expect((await request.post(RESTART, { data: {}, headers: { ...headers, ...sameOrigin(baseURL!) } })).status()).toBe(401);
    expect((await request.get("/", { headers, maxRedirects: 0 })).status()).toBe(302);
  });

  test("internal headers a client sends are replaced, not believed", async ({ request }) => {
    const response = await request.get("/api/health", { headers: { "x-outbox-lens-remote-address": "10.0.0.1", "x-forwarded-user": "admin", "x-forwarded-groups": "admins" } });
    expect(response.status()).toBe(401);
  });

  test("the socket handshake is refused, on HTTP and for a raw client", async ({ request, baseURL }) => {
    const handshake = await request.get(HANDSHAKE, { headers: sameOrigin(baseURL!) });
    expect(handshake.status()).toBe(403);
    expect(await handshake.text()).toMatch(/sign-in required/);
    const socket = await openSocket(baseURL!, {});
    expect(socket).toHaveProperty("refused");
  });
});

test.describe("with an API token", () => {
  const cases: { role: Role; restart: number }[] = [
    { role: "viewer", restart: 403 },
    { role: "operator", restart: 202 },
    { role: "admin", restart: 202 },
  ];
  for (const { role, restart } of cases) {
    test(`${role}: reads are allowed; restarting the connector answers ${restart}`, async ({ request }) => {
      for (const path of READS) {
        const response = await request.get(path, { headers: bearer(role) });
        // /api/health is 503 while a component is still starting; never 401 or 403.
        expect([200, 503], path).toContain(response.status());
      }
      const session = await (await request.get("/api/auth/session", { headers: bearer(role) })).json();
      expect(session.principal).toMatchObject({ kind: "token", role });
      expect(session.permissions.restartConnector).toBe(role !== "viewer");

      // A token needs no Origin (browsers never attach one by themselves) but still JSON.
      const response = await request.post(RESTART, { data: { onlyFailed: true }, headers: bearer(role) });
      expect(response.status()).toBe(restart);
      if (restart === 403) expect((await response.json()).error).toMatch(/needs the operator role/);
    });
  }

  test("a wrong token is 401 (never a fallback to anything else)", async ({ request }) => {
    const response = await request.get("/api/health", { headers: { authorization: "Bearer olt_not-a-token" } });
    expect(response.status()).toBe(401);
    expect((await response.json()).error).toMatch(/API token is not valid/);
  });

  test("a raw socket.io client with a token connects; its events are validated", async ({ baseURL }) => {
    const opened = await openSocket(baseURL!, bearer("viewer"));
    if (!("socket" in opened)) throw new Error(`refused: ${opened.refused}`);
    const { socket } = opened;
    try {
      const error = new Promise<{ event: string; message: string }>((resolve) => socket.once("request:error", resolve));
      socket.emit("tail:subscribe", { filter: "x", $where: "1" });
      expect(await error).toMatchObject({ event: "tail:subscribe", message: expect.stringMatching(/Unrecognized key/) });
    } finally {
      socket.close();
    }
    // From another site, even a valid token is refused.
    const foreign = await openSocket(baseURL!, { ...bearer("admin"), origin: "https://evil.example" });
    expect(foreign).toHaveProperty("refused");
  });
});

test.describe("with a session", () => {
  test("viewer reads and may not restart; operator may; the answer says why", async ({ baseURL }) => {
    const viewer = await sessionFor(baseURL!, "viewer");
    const operator = await sessionFor(baseURL!, "operator");
    try {
      expect([200, 503]).toContain((await viewer.get("/api/health")).status());
      const refused = await viewer.post(RESTART, { data: {}, headers: sameOrigin(baseURL!) });
      expect(refused.status()).toBe(403);
      expect((await refused.json()).error).toMatch(/"viewer" \(viewer\) may not connector:restart/);
      expect((await operator.post(RESTART, { data: { onlyFailed: true }, headers: sameOrigin(baseURL!) })).status()).toBe(202);
    } finally {
      await viewer.dispose();
      await operator.dispose();
    }
  });

  test("cross-site and non-JSON writes are refused even with a valid session", async ({ baseURL }) => {
    const operator = await sessionFor(baseURL!, "operator");
    try {
      // A form on another site posting text/plain (no preflight): the classic CSRF, on every
      // route that changes something.
      for (const route of [RESTART, "/api/auth/login", "/api/auth/logout"]) {
        const form = await operator.post(route, { data: '{"onlyFailed":true}', headers: { "content-type": "text/plain", origin: "https://evil.example" } });
        expect(form.status(), route).toBe(403);
        expect((await form.json()).error, route).toMatch(/cross-site request refused/);
      }
      const plain = await operator.post(RESTART, { data: '{"onlyFailed":true}', headers: { "content-type": "text/plain", ...sameOrigin(baseURL!) } });
      expect(plain.status()).toBe(415);
      const noOrigin = await operator.post(RESTART, { data: { onlyFailed: true } });
      expect(noOrigin.status()).toBe(403);
      // Same-site browsers send Sec-Fetch-Site when they send no Origin.
      expect((await operator.post(RESTART, { data: { onlyFailed: true }, headers: { "sec-fetch-site": "same-origin" } })).status()).toBe(202);
    } finally {
      await operator.dispose();
    }
  });

  test("unknown and invalid fields are rejected with 422 naming them", async ({ baseURL }) => {
    const operator = await sessionFor(baseURL!, "operator");
    try {
      const unknown = await operator.post(RESTART, { data: { onlyFailed: true, connector: "other" }, headers: sameOrigin(baseURL!) });
      expect(unknown.status()).toBe(422);
      expect((await unknown.json()).error).toMatch(/connector/);
      const invalid = await operator.post(RESTART, { data: { onlyFailed: "yes" }, headers: sameOrigin(baseURL!) });
      expect(invalid.status()).toBe(422);
      expect((await invalid.json()).error).toMatch(/onlyFailed/);
    } finally {
      await operator.dispose();
    }
  });

  test("after sign-out the session is refused on HTTP and on the socket", async ({ baseURL }) => {
    const viewer = await sessionFor(baseURL!, "viewer");
    try {
      const { cookies } = await viewer.storageState();
      const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      const before = await openSocket(baseURL!, { cookie });
      if (!("socket" in before)) throw new Error(`refused while signed in: ${before.refused}`);
      before.socket.close();
      expect((await viewer.post("/api/auth/logout", { data: {}, headers: sameOrigin(baseURL!) })).status()).toBe(200);
      const after = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { cookie } });
      const response = await after.get("/api/health");
      expect(response.status()).toBe(401);
      expect((await response.json()).error).toMatch(/session has ended/);
      await after.dispose();
      expect(await openSocket(baseURL!, { cookie })).toHaveProperty("refused");
    } finally {
      await viewer.dispose();
    }
  });

  test("responses carry the security headers", async ({ request }) => {
    const response = await request.get("/login");
    const headers = response.headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-powered-by"]).toBeUndefined();
  });
});
