import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { OUTBOX_API } from "@/lib/contracts/outbox";
import { bearer, signIn } from "./lib/stack-auth";
import { insertOutboxEvent } from "./outbox-traffic";
import { gotoPage } from "./lib/pages";

/**
 * Outbox operations in the browser, through the real pipeline: the processor fails events that ask
 * for it (payload `simulateFailure`, only on the first attempt with `failAttempts: 1`), an
 * operator retries their failure group and watches them become processed; a row that never reached
 * the topic (the connector paused) is replayed and its record, with the replay headers, shows in
 * the event trace; a processed row is replayed to the replay topic, where its trace finds it; the
 * actions are in the audit log.
 */

const env = parseEnv(readFileSync(resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env"), "utf8"));
const CONNECT = env.KAFKA_CONNECT_URL!;
const CONNECTOR = env.KAFKA_CONNECTOR_NAME!;
// The test stack's one replay topic (REPLAY_TOPICS).
const REPLAY_TOPIC = env.REPLAY_TOPICS!;
const FAILED_EVENTS = 3;

/**
 * A page of a new browser context signed in as the operator. Not the spec's own context: it holds
 * the shared viewer session, which a sign-in in it would end (a sign-in replaces the browser's
 * previous session) for every later spec.
 */
async function operatorPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page.request, baseURL!, "operator");
  return page;
}

async function connectorState(): Promise<string> {
  const response = await fetch(`${CONNECT}/connectors/${CONNECTOR}/status`);
  const status = (await response.json()) as { connector: { state: string }; tasks: { state: string }[] };
  const states = [status.connector.state, ...status.tasks.map((task) => task.state)];
  // PAUSED only once every task is: a task still running (busy with a backlog) streams what is
  // inserted after the connector itself reads PAUSED.
  if (status.tasks.length > 0 && states.every((state) => state === "RUNNING")) return "RUNNING";
  if (status.tasks.length > 0 && states.every((state) => state === "PAUSED")) return "PAUSED";
  return status.connector.state === "PAUSED" ? "PAUSING" : status.connector.state;
}

/**
 * Replays the trace page's row from its Replay button: the dry run matches it, the action succeeds
 * with one record. With `topic`, chosen from the topics offered, which are the ones the server may
 * write: the outbox topic (the default) and the replay topic. Returns the action's id.
 */
async function replayFromTrace(page: Page, reason: string, topic?: string): Promise<string | null> {
  await page.getByTestId("trace-replay").click();
  const dialog = page.getByTestId("action-dialog");
  await expect(dialog.getByTestId("dry-run-matched")).toHaveAttribute("data-count", "1");
  const topics = dialog.getByTestId("action-topic");
  await expect(topics.locator("option")).toHaveText([`${env.OUTBOX_TOPIC} (outbox)`, REPLAY_TOPIC]);
  if (topic) await topics.selectOption(topic);
  await dialog.getByTestId("action-reason").fill(reason);
  await dialog.getByTestId("action-submit").click();
  const progress = dialog.getByTestId("action-progress");
  await expect(progress).toHaveAttribute("data-state", "succeeded");
  await expect(dialog.getByTestId("action-done")).toHaveAttribute("data-value", "1");
  const actionId = await progress.getAttribute("data-action-id");
  await dialog.getByTestId("action-close").click();
  return actionId;
}

test.describe("outbox operations", () => {
  test("an operator retries a failure group, watches the progress, and its rows turn processed through the pipeline", async ({ browser, baseURL }) => {
    const eventType = `E2eRetry${randomUUID().slice(0, 8)}`;
    const eventIds = Array.from({ length: FAILED_EVENTS }, () => randomUUID());
    for (const eventId of eventIds) {
      await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { simulateFailure: `Card 4242 declined by gateway 7 (attempt for ${eventId})`, failAttempts: 1 } });
    }
    const page = await operatorPage(browser, baseURL);
    await gotoPage(page, `/outbox?status=failed&eventType=${eventType}`);
    // The processor fails them; the live first page shows it without a reload.
    await expect(page.getByTestId("outbox-row").and(page.locator('[data-status="failed"]'))).toHaveCount(FAILED_EVENTS, { timeout: 30_000 });

    const group = page.locator(`[data-testid="failure-group"][data-event-type="${eventType}"]`);
    await expect(group).toHaveAttribute("data-signature", "Card <n> declined by gateway <n> (attempt for <id>)", { timeout: 15_000 });
    await expect(group).toHaveAttribute("data-count", String(FAILED_EVENTS));
    await group.getByTestId("failure-group-retry").click();

    const dialog = page.getByTestId("action-dialog");
    await expect(dialog.getByTestId("dry-run-matched")).toHaveAttribute("data-count", String(FAILED_EVENTS));
    await expect(dialog.getByTestId("dry-run-row")).toHaveCount(FAILED_EVENTS);
    await dialog.getByTestId("action-reason").fill("gateway fixed");
    await dialog.getByTestId("action-submit").click();
    const progress = dialog.getByTestId("action-progress");
    await expect(progress).toHaveAttribute("data-state", "succeeded");
    await expect(dialog.getByTestId("action-done")).toHaveAttribute("data-value", String(FAILED_EVENTS));
    await expect(dialog.getByTestId("action-skipped")).toHaveAttribute("data-value", "0");
    const actionId = await progress.getAttribute("data-action-id");
    await dialog.getByTestId("action-close").click();

    // Back to pending, then processed by the pipeline (the second attempt succeeds).
    await gotoPage(page, `/outbox?eventType=${eventType}`);
    await expect(page.getByTestId("outbox-row").and(page.locator('[data-status="processed"][data-retry-count="1"]'))).toHaveCount(FAILED_EVENTS, { timeout: 30_000 });

    // The event trace: processed, its records on the topic (insert, failure, retry, success), the retry.
    await gotoPage(page, `/events/${eventIds[0]}`);
    await expect(page.getByTestId("trace-status")).toContainText("processed");
    await expect(page.getByTestId("trace-message")).toHaveCount(4, { timeout: 15_000 });
    await expect(page.getByTestId("trace-hop").and(page.locator('[data-hop="endToEnd"]'))).not.toHaveAttribute("data-ms", "");
    await expect(page.locator(`[data-testid="trace-action"][data-action="outbox:retry"]`).first()).toHaveAttribute("data-outcome", "succeeded");

    // The audit log has the action with its counts.
    await gotoPage(page, `/audit?action=outbox:retry`);
    const entry = page.locator(`[data-testid="audit-entry"][data-id="${actionId}"]`);
    await expect(entry).toHaveAttribute("data-outcome", "succeeded");
    await expect(entry).toContainText("gateway fixed");
  });

  test("an operator replays a pending row that never reached the topic; the record carries the replay headers; it is audited", async ({ browser, baseURL }) => {
    const eventId = randomUUID();
    const pause = await fetch(`${CONNECT}/connectors/${CONNECTOR}/pause`, { method: "PUT" });
    expect(pause.status).toBe(202);
    try {
      await expect.poll(connectorState, { timeout: 30_000 }).toBe("PAUSED");
      await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType: "E2eReplay", payload: { amount: 5 } });

      const page = await operatorPage(browser, baseURL);
      await gotoPage(page, `/events/${eventId}`);
      await expect(page.getByTestId("trace-status")).toContainText("pending");
      await expect(page.getByTestId("trace-message")).toHaveCount(0);
      const actionId = await replayFromTrace(page, "never reached the topic");

      // The replayed record is on the topic with its headers, and the processor handled it.
      const replayed = page.locator(`[data-testid="trace-message"][data-replay-id="${actionId}"]`);
      await expect(replayed).toHaveCount(1, { timeout: 20_000 });
      await expect(replayed).toHaveAttribute("data-op", "c");
      await expect(page.getByTestId("trace-status")).toContainText("processed", { timeout: 20_000 });

      const api = await page.request.get(OUTBOX_API.event(eventId));
      const trace = (await api.json()) as { messages: { replayId: string | null }[]; actions: { id: number; action: string; actor: string }[] };
      expect(trace.messages.some((message) => message.replayId === actionId)).toBe(true);
      expect(trace.actions).toContainEqual(expect.objectContaining({ id: Number(actionId), action: "outbox:replay", actor: "operator" }));

      await gotoPage(page, `/audit?eventId=${eventId}`);
      await expect(page.locator(`[data-testid="audit-entry"][data-id="${actionId}"]`)).toHaveAttribute("data-action", "outbox:replay");
    } finally {
      await fetch(`${CONNECT}/connectors/${CONNECTOR}/resume`, { method: "PUT" });
      await expect.poll(connectorState, { timeout: 60_000 }).toBe("RUNNING");
    }
  });

  test("an operator replays a processed row to the replay topic, chosen from a list; the trace finds its record there", async ({ browser, baseURL }) => {
    const eventId = randomUUID();
    await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType: "E2eReplayTopic", payload: { amount: 7 } });
    const page = await operatorPage(browser, baseURL);
    await gotoPage(page, `/events/${eventId}`);
    await expect(page.getByTestId("trace-status")).toContainText("processed", { timeout: 30_000 });

    const actionId = await replayFromTrace(page, "consumer of the replay topic rebuilt", REPLAY_TOPIC);

    // Its record is on the replay topic, found by a search of that topic around the replay; the
    // row's own records stay on the outbox topic.
    const replayed = page.locator(`[data-testid="trace-message"][data-replay-id="${actionId}"]`);
    await expect(replayed).toHaveCount(1, { timeout: 20_000 });
    await expect(replayed).toHaveAttribute("data-topic", REPLAY_TOPIC);
    await expect(replayed).toHaveAttribute("data-op", "c");
    await expect(page.locator(`[data-testid="trace-message"][data-topic="${env.OUTBOX_TOPIC}"]`)).not.toHaveCount(0);
    await expect(page.getByTestId("trace-messages-from")).toContainText(`by a bounded search of ${REPLAY_TOPIC} partition`);
    await expect(page.locator(`[data-testid="trace-action"][data-action="outbox:replay"][data-dry-run="false"]`)).toContainText(`→ ${REPLAY_TOPIC}`);

    await gotoPage(page, `/audit?eventId=${eventId}`);
    const entry = page.locator(`[data-testid="audit-entry"][data-id="${actionId}"]`);
    await expect(entry).toContainText(`→ ${REPLAY_TOPIC}`);
    await expect(entry.locator('[data-count="produced"]')).toHaveAttribute("data-value", "1");
  });

  test("a viewer sees the outbox and the audit log without any write action, and cannot act through the API", async ({ page, request }) => {
    await gotoPage(page, "/outbox");
    await expect(page.getByTestId("outbox-rows")).toBeVisible();
    await expect(page.getByTestId("failure-groups")).toBeVisible();
    await expect(page.getByTestId("failure-group-retry")).toHaveCount(0);
    await expect(page.getByTestId("retry-matching")).toHaveCount(0);
    await gotoPage(page, "/audit");
    await expect(page.getByTestId("audit-scope")).toHaveAttribute("data-scope", "own");
    // A viewer cannot act, so their own log is empty, and says so; a filter that matches nothing says that instead.
    await expect(page.getByTestId("audit-empty")).toHaveText(/^You have taken no action yet/);
    await gotoPage(page, "/audit?action=outbox:replay");
    await expect(page.getByTestId("audit-empty")).toHaveText("No entry matches this filter.");

    const refused = await request.post(OUTBOX_API.retry, { data: { filter: {}, dryRun: true }, headers: bearer("viewer") });
    expect(refused.status()).toBe(403);
  });

  test("bad input gets a clear error naming what is wrong", async ({ request }) => {
    const operator = bearer("operator");
    const badFilter = await request.get(`${OUTBOX_API.rows}?status=archived&limit=5000&colour=red`, { headers: operator });
    expect(badFilter.status()).toBe(422);
    const badFilterBody = (await badFilter.json()) as { error: string };
    expect(badFilterBody.error).toMatch(/status: must be pending, processed or failed/);
    expect(badFilterBody.error).toMatch(/limit/);
    expect(badFilterBody.error).toMatch(/colour/);

    const unknown = await request.get(OUTBOX_API.event(randomUUID()), { headers: operator });
    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/no outbox row with event id/);
    expect((await request.get(OUTBOX_API.event("not-a-uuid"), { headers: operator })).status()).toBe(422);

    const twoTargets = await request.post(OUTBOX_API.retry, { data: { filter: {}, group: { eventType: "x", signature: "y" }, dryRun: true }, headers: operator });
    expect(twoTargets.status()).toBe(422);
    expect(((await twoTargets.json()) as { error: string }).error).toMatch(/exactly one of eventIds, filter or group/);
    const noReason = await request.post(OUTBOX_API.retry, { data: { filter: {} }, headers: operator });
    expect(((await noReason.json()) as { error: string }).error).toMatch(/"reason": is required.*"idempotencyKey": is required/);

    const nothing = await request.post(OUTBOX_API.retry, {
      data: { filter: { eventType: "'; DROP TABLE activity.event_outbox; --" }, dryRun: false, reason: "nothing", idempotencyKey: randomUUID() },
      headers: operator,
    });
    expect(nothing.status()).toBe(200);
    expect(await nothing.json()).toMatchObject({ matched: 0, done: 0, state: "succeeded" });

    const otherTopic = await request.post(OUTBOX_API.replay, { data: { filter: {}, dryRun: true, topic: "somewhere.else" }, headers: operator });
    expect(otherTopic.status()).toBe(422);
    expect(((await otherTopic.json()) as { error: string }).error).toMatch(/topic: somewhere.else is neither the outbox topic/);

    const badAudit = await request.get("/api/audit?action=outbox:delete", { headers: operator });
    expect(badAudit.status()).toBe(422);
  });

  test("the audit log exports as CSV, the requester's own entries for an operator", async ({ request }) => {
    const operator = bearer("operator");
    await request.post(OUTBOX_API.retry, { data: { eventIds: [randomUUID()], dryRun: true }, headers: operator });
    const csv = await request.get("/api/audit/export?action=outbox:retry", { headers: operator });
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,at,finished_at,actor,actor_kind,role,action,target,dry_run,reason,matched,changed,skipped,failed,idempotency_key,outcome,error,topic");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toMatch(/,test-operator,token,operator,outbox:retry,/);
  });
});
