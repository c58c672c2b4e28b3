// Takes a screenshot of a running dashboard page with Debian's Chromium:
//   npx tsx scripts/screenshot.ts [url] [out.png] [width] [height]
// Signs in as the demo stack's viewer (OUTBOX_LENS_ROLE=operator or admin for another of its users)
// when .stack/credentials.json exists (OUTBOX_LENS_CREDENTIALS names another file), then waits until
// the live indicator reports a connection before it shoots.
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { AUTH_API } from "@/lib/contracts/auth";
import { CHROMIUM_LAUNCH_OPTIONS } from "@/stack/lib/chromium";

const [url = "http://localhost:3000/", out = "docs/screenshot.png", width = "1440", height = "900"] = process.argv.slice(2);
const credentialsFile = process.env.OUTBOX_LENS_CREDENTIALS ?? ".stack/credentials.json";
const ROLES = ["viewer", "operator", "admin"] as const;
const role = (process.env.OUTBOX_LENS_ROLE ?? "viewer") as (typeof ROLES)[number];
if (!ROLES.includes(role)) throw new Error(`OUTBOX_LENS_ROLE must be one of ${ROLES.join(", ")}, not ${role}`);

const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
try {
  const context = await browser.newContext({ viewport: { width: Number(width), height: Number(height) } });
  if (fs.existsSync(credentialsFile)) {
    const { username, password } = (JSON.parse(fs.readFileSync(credentialsFile, "utf8")) as { users: Record<typeof role, { username: string; password: string }> }).users[role];
    const origin = new URL(url).origin;
    const response = await context.request.post(new URL(AUTH_API.login, origin).toString(), { data: { username, password }, headers: { origin } });
    if (!response.ok()) throw new Error(`signing in as ${username} answered ${response.status()}`);
  }
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.locator('[data-testid="tail-row"]').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
