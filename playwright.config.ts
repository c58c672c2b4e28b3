import { defineConfig } from "@playwright/test";
import { VIEWER_STATE } from "./e2e/lib/storage-state";
import { CHROMIUM_LAUNCH_OPTIONS } from "./stack/lib/chromium";
import { SERVER_NODE_FLAGS } from "./stack/lib/server-flags";

/**
 * End-to-end tests against the production build (`npm run build` first) and the test stack
 * (`.stack-test/env`: PostgreSQL 15433, Kafka 19092, Connect 18083). Run through `npm test`, which
 * starts the test stack, or by hand with the test stack up: `npm run build && npm run test:e2e`.
 *
 * The browser is Debian's Chromium; Playwright's own browser downloads are not available here.
 */

const E2E_PORT = 13000;
const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
// Starting the production server is fast (no compilation); this covers a cold disk cache on CI.
const SERVER_START_TIMEOUT_MS = 60_000;

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  // The specs share one server and one stack; two cores do not profit from parallel browsers.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  // Per test: covers the stack's connector reaching RUNNING after a fresh start.
  timeout: 90_000,
  // Web-first assertions wait this long (Playwright's default is 5 s): on a 2-core machine that is
  // also running Kafka, Connect and PostgreSQL, a page's first data or a navigation's hydration
  // took longer than 5 s when something else was busy too.
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    browserName: "chromium",
    viewport: { width: 1440, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: [
    // Signs in once; the specs start from its cookies.
    { name: "setup", testMatch: /\.setup\.ts$/ },
    { name: "chromium", dependencies: ["setup"], testIgnore: /\.setup\.ts$/, use: { storageState: VIEWER_STATE } },
  ],
  webServer: {
    command: `npx tsx ${SERVER_NODE_FLAGS.join(" ")} server/index.ts`,
    env: { NODE_ENV: "production", OUTBOX_LENS_ENV_FILE: ".stack-test/env", PORT: String(E2E_PORT), HOST: "127.0.0.1" },
    // /api/ready answers 200 as soon as the server serves requests. /api/health would not do:
    // it answers 503 while a pipeline component is still starting, which the tests wait out.
    url: `${BASE_URL}/api/ready`,
    timeout: SERVER_START_TIMEOUT_MS,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
