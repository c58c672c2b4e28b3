// Takes a screenshot of a running dashboard page with Debian's Chromium:
//   npx tsx scripts/screenshot.ts [url] [out.png] [width] [height]
// It waits until the live indicator reports a connection before it shoots.
import { chromium } from "@playwright/test";

const [url = "http://localhost:3000/", out = "docs/screenshot.png", width = "1440", height = "900"] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  await page.goto(url);
  await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor({ timeout: 30_000 }).catch(() => undefined);
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
