import { expect, test } from "@playwright/test";
import { crashConnect, restartConnect } from "@/stack/faults";
import { config, drained, expectCountsMatch, FAULT_MS, pool, startWorkload } from "./pipeline";

/**
 * Scenario 4, Kafka Connect crashed under the workload: the capture stage says so, the
 * replication slot goes inactive and its lag grows on the page; after the restart capture resumes
 * and the backlog drains.
 */

const db = pool();
test.afterAll(async () => {
  await db.end();
});

test("Connect crash: capture STOP, slot lag grows, capture resumes and the backlog drains", async ({ page, request }) => {
  const stopWorkload = startWorkload();
  try {
    await page.goto("/");
    const capture = page.getByTestId("stage-capture");
    await expect(capture).toHaveAttribute("data-status", /OK|WARN|STALL/, { timeout: 90_000 });
    const faultAt = Date.now();
    await crashConnect(config);
    await expect(capture).toHaveAttribute("data-status", "STOP", { timeout: 10_000 });
    await expect(page.getByTestId("slot-active")).toHaveAttribute("data-active", "false", { timeout: 10_000 });
    const lag = page.getByTestId("slot-lag");
    const lagAt = async () => Number(await lag.getAttribute("data-value"));
    const first = await lagAt();
    await expect.poll(lagAt, { timeout: 20_000 }).toBeGreaterThan(first);
    await page.waitForTimeout(Math.max(0, FAULT_MS - (Date.now() - faultAt)));
    await restartConnect(config);
    await expect(capture).not.toHaveAttribute("data-status", "STOP", { timeout: 15_000 });
    await expect(page.getByTestId("slot-active")).toHaveAttribute("data-active", "true", { timeout: 15_000 });
  } finally {
    await stopWorkload();
  }
  await drained(db);
  await expectCountsMatch(request, db);
});
