import path from "node:path";
import { expect, test } from "@playwright/test";
import { startServer, type AppServer } from "@/stack/lib/app-server";
import { openSocket } from "./lib/raw-socket";
import { stackCredentials } from "./lib/stack-auth";

// Servers of their own, on the test stack, for what the shared server must not be put through:
// no users configured (read-only by default), a one-minute idle expiry, and a sign-in lockout.

const ENV_FILE = process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env";
const READ_ONLY_PORT = 13001;
const SHORT_SESSION_PORT = 13002;
// Minimum of SESSION_IDLE_MINUTES, plus the margin of a loaded machine.
const IDLE_EXPIRY_WAIT_MS = 61_000 + 2_000;

test.use({ storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: "serial" });

/** A server of this describe block's own, started before its tests and stopped after them. */
function serverForDescribe(name: string, port: number, env: Record<string, string>): { readonly url: string } {
  let server: AppServer | undefined;
  test.beforeAll(async () => {
    server = await startServer({ envFile: ENV_FILE, port, logFile: path.resolve("test-results", `${name}-server.log`), env });
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return {
    get url() {
      if (!server) throw new Error(`the ${name} server has not started`);
      return server.url;
    },
  };
}

test.describe("with no users or tokens configured", () => {
  const server = serverForDescribe("read-only", READ_ONLY_PORT, { AUTH_FILE: "" });

  test("the dashboard is read-only: anyone reads, every write answers 403 with the reason", async ({ request }) => {
    const session = await (await request.get(`${server.url}/api/auth/session`)).json();
    expect(session).toMatchObject({ readOnly: true, authMode: "none", principal: { kind: "anonymous", role: "viewer" } });
    expect(session.permissions.restartConnector).toBe(false);
    expect([200, 503]).toContain((await request.get(`${server.url}/api/health`)).status());
    const restart = await request.post(`${server.url}/api/connector/restart`, { data: {}, headers: { origin: server.url } });
    expect(restart.status()).toBe(403);
    expect((await restart.json()).error).toMatch(/read-only: no users or tokens are configured/);
  });

  test("the header says read-only, and no write button is shown", async ({ page }) => {
    await page.goto(server.url);
    await expect(page.getByTestId("read-only-badge")).toBeVisible();
    await expect(page.getByTestId("connector-state")).toHaveAttribute("data-state", /\w+/, { timeout: 30_000 });
    await expect(page.getByTestId("restart-connector")).toHaveCount(0);
  });
});

test.describe("sign-in limits", () => {
  const server = serverForDescribe("short-session", SHORT_SESSION_PORT, { SESSION_IDLE_MINUTES: "1" });

  test("a session left idle past its expiry is refused, on HTTP and on the socket", async ({ playwright }) => {
    test.setTimeout(120_000);
    const context = await playwright.request.newContext({ baseURL: server.url });
    const { username, password } = stackCredentials().users.viewer;
    expect((await context.post("/api/auth/login", { data: { username, password }, headers: { origin: server.url } })).status()).toBe(200);
    const cookie = (await context.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await context.get("/api/health")).status()).not.toBe(401);
    // Idle means untouched: every authenticated request would extend the session, so nothing may
    // ask until the idle time has passed.
    await new Promise((resolve) => setTimeout(resolve, IDLE_EXPIRY_WAIT_MS));
    expect(await openSocket(server.url, { cookie })).toHaveProperty("refused");
    const response = await context.get("/api/health");
    expect(response.status()).toBe(401);
    expect((await response.json()).error).toMatch(/session has ended/);
    await context.dispose();
  });

  test("repeated wrong passwords are throttled with 429, Retry-After and a clear message", async ({ request }) => {
    const login = (password: string) => request.post(`${server.url}/api/auth/login`, { data: { username: "operator", password }, headers: { origin: server.url } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(`wrong-${i}`)).status());
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const throttled = await login(stackCredentials().users.operator.password);
    expect(throttled.status()).toBe(429);
    expect(Number(throttled.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await throttled.json()).error).toMatch(/too many/i);
  });
});
