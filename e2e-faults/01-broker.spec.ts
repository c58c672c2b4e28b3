import { expect, test } from "@playwright/test";
import { crashKafka, hangKafka, restartKafka, resumeKafka } from "@/stack/faults";
import { config, drained, expectCountsMatch, expectPagesServe, FAULT_MS, pool, startWorkload } from "./pipeline";

/**
 * Scenario 1, the broker out for 30 s under a steady workload, twice: hung (SIGSTOP, connections
 * open and silent) and crashed (SIGKILL, restarted on its data). The dashboard says Kafka is down
 * within 5 s with the reason, keeps serving every page, recovers within 10 s of the broker's
 * return without a restart of its own, and then counts the outbox exactly.
 */

const db = pool();
test.afterAll(async () => {
  // A failed test must not leave the broker stopped for the next scenario.
  resumeKafka(config);
  await db.end();
});

for (const fault of ["hang", "crash"] as const) {
  test(`broker ${fault}: STOP with the reason, pages served, recovery, exact counts`, async ({ page, request }) => {
    const stopWorkload = startWorkload();
    try {
      await page.goto("/");
      const topic = page.getByTestId("stage-topic");
      await expect(topic).toHaveAttribute("data-status", /OK|WARN|STALL/, { timeout: 90_000 });

      const faultAt = Date.now();
      if (fault === "hang") hangKafka(config);
      else await crashKafka(config);
      await expect(topic).toHaveAttribute("data-status", "STOP", { timeout: 5_000 });
      console.log(`detection: STOP shown ${Date.now() - faultAt} ms after the ${fault}`);
      await expect(topic.getByTestId("stage-rule")).toContainText("Kafka unreachable");
      await expectPagesServe(request);
      // The page stays live (the header's Kafka pill too) while the broker is away.
      await expect(page.getByTestId("health-kafka")).toHaveAttribute("data-status", /down/, { timeout: 5_000 });
      // The outage lasts FAULT_MS in all, whatever the checks above took.
      await page.waitForTimeout(Math.max(0, FAULT_MS - (Date.now() - faultAt)));

      if (fault === "hang") resumeKafka(config);
      else await restartKafka(config);
      const back = Date.now();
      await expect(topic).not.toHaveAttribute("data-status", "STOP", { timeout: 10_000 });
      console.log(`recovery: ${Date.now() - back} ms after the broker was back`);
    } finally {
      await stopWorkload();
    }
    await drained(db);
    await expectCountsMatch(request, db);
  });
}
