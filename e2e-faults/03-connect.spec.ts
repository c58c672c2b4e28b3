import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { crashConnect, restartConnect } from "@/stack/faults";
import { alterTopicConfigWithKafkaTool } from "@/stack/lib/kafka-tools";
import { insertEvents } from "@/stack/workload/run";
import { bearer } from "../e2e/lib/stack-auth";
import { config, drained, env, expectCountsMatch, FAULT_MS, pool, startWorkload } from "./pipeline";

/**
 * Scenario 4, change capture failing under the workload, twice: Kafka Connect crashed (the capture
 * stage says so, the replication slot goes inactive and its lag grows on the page; after the
 * restart capture resumes and the backlog drains), and Debezium's task FAILED while Connect runs
 * (the page shows the task's trace; an operator removes the cause and restarts the task from the
 * dashboard; capture resumes and the backlog drains).
 */

const db = pool();
const brokers = env.KAFKA_BROKERS!.split(",");
/** The topic's record limit while the task is made to fail: well under the poison record's size. */
const SMALL_RECORD_LIMIT_BYTES = 256 * 1024;
/** The poison event's payload: a record of this size cannot be written under the limit above. */
const POISON_PAYLOAD_CHARS = 600 * 1024;

test.afterAll(async () => {
  // A failed test must not leave the topic refusing records for the next scenario.
  await alterTopicConfigWithKafkaTool(config.dir, brokers, env.OUTBOX_TOPIC!, { remove: ["max.message.bytes"] }).catch(() => undefined);
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

test("Debezium task FAILED: the page shows the trace, the slot lag grows, a restart from the dashboard resumes capture", async ({ page, request }) => {
  const stopWorkload = startWorkload();
  try {
    await page.goto("/");
    const capture = page.getByTestId("stage-capture");
    await expect(capture).toHaveAttribute("data-status", /OK|WARN|STALL/, { timeout: 90_000 });

    // A classic production failure: an event larger than its topic accepts. The broker refuses the
    // record, Connect's producer cannot deliver it, and with errors.tolerance=none the task fails.
    await alterTopicConfigWithKafkaTool(config.dir, brokers, env.OUTBOX_TOPIC!, { set: { "max.message.bytes": SMALL_RECORD_LIMIT_BYTES } });
    const faultAt = Date.now();
    await insertEvents(db, env.OUTBOX_TABLE!, [
      { eventId: randomUUID(), aggregateId: randomUUID(), aggregateType: "Activity", eventType: "ActivityImported", payload: { blob: "x".repeat(POISON_PAYLOAD_CHARS) } },
    ]);
    await expect(capture).toHaveAttribute("data-status", "STOP", { timeout: 30_000 });
    console.log(`detection: capture STOP shown ${Date.now() - faultAt} ms after the oversized event`);
    await expect(capture.getByTestId("stage-rule")).toContainText(/task 0 of \S+ is FAILED: .*Unrecoverable exception from producer send callback/);
    const task = capture.getByTestId("connector-task");
    await expect(task).toHaveAttribute("data-state", "FAILED");
    await task.getByText("stack trace").click();
    await expect(task.locator("pre")).toContainText("RecordTooLargeException");

    // The task no longer confirms WAL: the slot's lag grows while the workload goes on.
    const lag = page.getByTestId("slot-lag");
    const lagAt = async () => Number(await lag.getAttribute("data-value"));
    const first = await lagAt();
    await expect.poll(lagAt, { timeout: 20_000 }).toBeGreaterThan(first);
    await page.waitForTimeout(Math.max(0, FAULT_MS - (Date.now() - faultAt)));

    // The operator lifts the limit and restarts the failed task through the dashboard.
    await alterTopicConfigWithKafkaTool(config.dir, brokers, env.OUTBOX_TOPIC!, { remove: ["max.message.bytes"] });
    const restart = await request.post("/api/connector/restart", { headers: bearer("operator"), data: { onlyFailed: true } });
    expect(restart.status(), await restart.text()).toBe(202);
    await expect(task).toHaveAttribute("data-state", "RUNNING", { timeout: 30_000 });
    await expect(capture).not.toHaveAttribute("data-status", "STOP", { timeout: 15_000 });
    console.log(`recovery: capture back ${Date.now() - faultAt} ms after the oversized event`);
  } finally {
    await stopWorkload();
  }
  await drained(db);
  await expectCountsMatch(request, db);
});
