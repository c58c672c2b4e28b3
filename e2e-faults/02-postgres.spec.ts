import { expect, test } from "@playwright/test";
import { bouncePostgres, hangPostgres, resumePostgres } from "@/stack/faults";
import { OUTBOX_API } from "@/lib/contracts/outbox";
import { config, drained, expectCountsMatch, expectPagesServe, FAULT_MS, pool, startWorkload } from "./pipeline";

/**
 * Scenario 3, PostgreSQL hung (every backend stopped) and restarted under the workload: requests
 * that need it answer within a few seconds with a clear error instead of hanging, the outbox stage
 * shows STOP, every page still serves, and afterwards the pool works again and the counts are exact.
 */

const db = pool();
test.afterAll(async () => {
  resumePostgres(config);
  await db.end();
});

test("PostgreSQL hang: clear errors without hanging, outbox STOP, the pool recovers", async ({ page, request }) => {
  const stopWorkload = startWorkload();
  try {
    await page.goto("/");
    const outbox = page.getByTestId("stage-outbox");
    await expect(outbox).toHaveAttribute("data-status", /OK|WARN|STALL/, { timeout: 90_000 });

    const faultAt = Date.now();
    hangPostgres(config);
    await expect(outbox).toHaveAttribute("data-status", "STOP", { timeout: 10_000 });
    await expect(outbox.getByTestId("stage-rule")).toContainText("PostgreSQL did not answer");
    // A request that needs the database answers, with the reason, well before any client gives up.
    const asked = Date.now();
    const rows = await request.get(`${OUTBOX_API.rows}?limit=5`, { timeout: 15_000 });
    expect(rows.status()).toBe(503);
    expect((await rows.json()).error).toMatch(/outbox rows/);
    console.log(`answered while hung: ${Date.now() - asked} ms`);
    await expectPagesServe(request);
    await page.waitForTimeout(Math.max(0, FAULT_MS - (Date.now() - faultAt)));

    resumePostgres(config);
    await expect(outbox).not.toHaveAttribute("data-status", "STOP", { timeout: 15_000 });
    await expect.poll(async () => (await request.get(`${OUTBOX_API.rows}?limit=5`)).status(), { timeout: 15_000 }).toBe(200);
  } finally {
    await stopWorkload();
  }
  await drained(db);
  await expectCountsMatch(request, db);
});

test("PostgreSQL restart: the dashboard reconnects by itself and counts exactly", async ({ page, request }) => {
  const stopWorkload = startWorkload();
  try {
    await page.goto("/");
    const outbox = page.getByTestId("stage-outbox");
    await expect(outbox).toHaveAttribute("data-status", /OK|WARN|STALL/, { timeout: 90_000 });
    bouncePostgres(config);
    await expect.poll(async () => (await request.get(`${OUTBOX_API.rows}?limit=5`)).status(), { timeout: 15_000 }).toBe(200);
    // A snapshot taken after the restart reaches the page and says the outbox is readable.
    const restartedAt = Date.now();
    await expect.poll(async () => Number(await page.getByTestId("snapshot-time").getAttribute("data-at")), { timeout: 15_000 }).toBeGreaterThan(restartedAt);
    await expect(outbox).not.toHaveAttribute("data-status", "STOP", { timeout: 15_000 });
  } finally {
    await stopWorkload();
  }
  await drained(db);
  await expectCountsMatch(request, db);
});
