import { expect, test } from "@playwright/test";
import { startOutboxTraffic } from "./outbox-traffic";

// The stack's reference processor and the partitions of its topic (stack/config.ts).
const PROCESSOR_GROUP = "activity-event-processor";
const TOPIC_PARTITIONS = 3;
// The group is discovered from its commits, polled every second; the processor commits as it goes.
const GROUP_LISTED_TIMEOUT_MS = 30_000;

let stopTraffic: (() => Promise<void>) | undefined;
test.beforeAll(() => {
  stopTraffic = startOutboxTraffic();
});
test.afterAll(async () => {
  await stopTraffic?.();
});

test("the consumers page lists the processor's group with one row per partition of the topic", async ({ page }) => {
  await page.goto("/consumers");
  const group = page.getByTestId(`group-${PROCESSOR_GROUP}`);
  await expect(group).toBeVisible({ timeout: GROUP_LISTED_TIMEOUT_MS });
  await expect(group).toHaveAttribute("data-lag", /^\d+$/);
  await expect(group).toHaveAttribute("data-status", /^(OK|WARN|STALL|STOP|UNKNOWN)$/);

  const rows = group.getByTestId("partition-row");
  await expect(rows).toHaveCount(TOPIC_PARTITIONS, { timeout: GROUP_LISTED_TIMEOUT_MS });

  // One snapshot's numbers, read at once: the partitions are 0..n-1 and the group's lag is their sum.
  const shown = await group.evaluate((element) => ({
    lag: Number(element.getAttribute("data-lag")),
    partitions: [...element.querySelectorAll('[data-testid="partition-row"]')].map((row) => ({
      partition: Number(row.getAttribute("data-partition")),
      lag: Number(row.getAttribute("data-lag")),
    })),
  }));
  expect(shown.partitions.map((row) => row.partition).sort()).toEqual([...Array(TOPIC_PARTITIONS).keys()]);
  expect(shown.partitions.reduce((sum, row) => sum + row.lag, 0)).toBe(shown.lag);

  // The processor is running: the group has a member, and its lag chart draws.
  await expect(group.getByTestId("group-member").first()).toBeVisible();
  await expect(page.getByTestId(`chart-group-${PROCESSOR_GROUP}`).locator("svg").first()).toBeVisible();
});
