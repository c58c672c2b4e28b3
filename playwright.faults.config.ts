import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "./stack/lib/chromium";

/**
 * The reliability suite (`npm run test:faults`): the production build against a stack of its own
 * (`.stack-faults/`, ports + 30,000), whose services the specs hang, kill and restart while a
 * steady workload runs. `npm run test:faults` starts and stops that stack around this run and
 * then checks that nothing of it is left behind.
 */

// The specs and their helpers read the faults stack's env file and credentials.
process.env.OUTBOX_LENS_ENV_FILE = ".stack-faults/env";
// Its own viewer session file: the e2e suite's may belong to another server at the same time.
const VIEWER_STATE = "test-results-faults/.auth/viewer.json";
process.env.OUTBOX_LENS_VIEWER_STATE = VIEWER_STATE;

const FAULTS_PORT = 33000;
const BASE_URL = `http://127.0.0.1:${FAULTS_PORT}`;
/** The server's log, read by the last spec: an unhandled rejection or exception fails the suite. */
const FAULTS_SERVER_LOG = ".stack-faults/logs/server.log";

export default defineConfig({
  testDir: ".",
  outputDir: "./test-results-faults/output",
  // One stack, one fault at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  // A scenario holds a fault for 30 s and then waits for the pipeline to drain.
  timeout: 240_000,
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
    { name: "setup", testMatch: /e2e\/auth\.setup\.ts$/ },
    { name: "faults", dependencies: ["setup"], testMatch: /e2e-faults\/.*\.spec\.ts$/, use: { storageState: VIEWER_STATE } },
  ],
  webServer: {
    command: `npx tsx server/index.ts > ${FAULTS_SERVER_LOG} 2>&1`,
    env: { NODE_ENV: "production", OUTBOX_LENS_ENV_FILE: ".stack-faults/env", PORT: String(FAULTS_PORT), HOST: "127.0.0.1" },
    url: `${BASE_URL}/api/ready`,
    timeout: 60_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
