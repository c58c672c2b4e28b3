import { expect, test } from "@playwright/test";
import { drained, pool, startWorkload, statusCounts } from "./pipeline";

/**
 * Scenario 6, the browser's connection dropped for 15 s: the page says it is reconnecting, then
 * resyncs by itself, and its numbers equal the server's.
 */

const db = pool();
test.afterAll(async () => {
  await db.end();
});

test("socket dropped for 15 s: reconnecting, then resynced numbers", async ({ page, context }) => {
  await page.goto("/");
  const state = page.getByTestId("conn-state");
  await expect(state).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
  await context.setOffline(true);
  await expect(state).toHaveAttribute("data-state", /reconnecting|offline/, { timeout: 10_000 });
  // The outage lasts 15 s; events inserted meanwhile must show once the page is back.
  const stopWorkload = startWorkload();
  await page.waitForTimeout(15_000);
  await stopWorkload();
  await context.setOffline(false);
  await expect(state).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
  await drained(db);
  const truth = await statusCounts(db);
  await expect(page.getByTestId("outbox-pending")).toHaveAttribute("data-value", String(truth.pending ?? 0), { timeout: 10_000 });
  await expect(page.getByTestId("outbox-failed")).toHaveAttribute("data-value", String(truth.failed ?? 0), { timeout: 10_000 });
});
