import { defineConfig, type PlaywrightTestConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "../stack/lib/chromium";
import { SERVER_NODE_FLAGS } from "../stack/lib/server-flags";

/**
 * The Playwright config of a reliability suite: the production build against a stack of its own
 * (`.stack-<profile>/`, `port` = its app port), whose services the specs in `specDir` hang, kill
 * and restart while a steady workload runs. The npm script around it starts and stops that stack
 * and then checks that nothing of it is left behind.
 */
export function faultsSuiteConfig(options: { profile: string; port: number; specDir: string; timeoutMs: number }): PlaywrightTestConfig {
  const stackDir = `.stack-${options.profile}`;
  const results = `test-results-${options.profile}`;
  // The specs and their helpers (e2e-faults/pipeline.ts) read the stack's env file and credentials.
  process.env.OUTBOX_LENS_ENV_FILE = `${stackDir}/env`;
  // Its own viewer session file: the other suites' may belong to other servers at the same time.
  const viewerState = `${results}/.auth/viewer.json`;
  process.env.OUTBOX_LENS_VIEWER_STATE = viewerState;
  const baseURL = `http://127.0.0.1:${options.port}`;
  // The server's log, read by the suite's last test: an unhandled rejection or exception fails it.
  const serverLog = `${stackDir}/logs/server.log`;

  return defineConfig({
    testDir: ".",
    outputDir: `./${results}/output`,
    // One stack, one fault at a time.
    workers: 1,
    fullyParallel: false,
    forbidOnly: !!process.env.CI,
    retries: 0,
    reporter: [["list"]],
    timeout: options.timeoutMs,
    expect: { timeout: 10_000 },
    use: {
      baseURL,
      browserName: "chromium",
      viewport: { width: 1440, height: 900 },
      screenshot: "only-on-failure",
      trace: "retain-on-failure",
      launchOptions: CHROMIUM_LAUNCH_OPTIONS,
    },
    projects: [
      { name: "setup", testMatch: /e2e\/auth\.setup\.ts$/ },
      { name: options.profile, dependencies: ["setup"], testMatch: new RegExp(`${options.specDir}/.*\\.spec\\.ts$`), use: { storageState: viewerState } },
    ],
    webServer: {
      command: `npx tsx ${SERVER_NODE_FLAGS.join(" ")} server/index.ts > ${serverLog} 2>&1`,
      env: { NODE_ENV: "production", OUTBOX_LENS_ENV_FILE: `${stackDir}/env`, PORT: String(options.port), HOST: "127.0.0.1" },
      url: `${baseURL}/api/ready`,
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    },
  });
}
