import { expect, test } from "@playwright/test";
import { bouncePostgres, hangPostgres, resumePostgres } from "@/stack/faults";
import { OUTBOX_API } from "@/lib/contracts/outbox";
import { config, drained, expectCountsMatch, expectPagesServe, FAULT_MS, pool, startWorkload } from "./pipeline";

/**
 * Scenario 3, PostgreSQL hung (every backend stopped) and restarted under the workload: requests
 * that need it answer within 2 s with a clear error instead of hanging, the outbox stage
 * shows STOP, every page still serves, and afterwards the pool works again and the counts are exact.
 */

const db = pool();
/** The dashboard gives up on PostgreSQL after 2 s; the rest is margin for a loaded machine. */
const ANSWER_TIMEOUT_MS = 3_500;
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
    // A request made as PostgreSQL hangs, before the dashboard knows: it waits 2 s at most (for a
    // connection or for the answer) and is answered with the reason.
    const early = request.get(`${OUTBOX_API.rows}?limit=5`, { timeout: ANSWER_TIMEOUT_MS }).then(async (response) => ({ status: response.status(), body: await response.json(), ms: Date.now() - faultAt }));
    await expect(outbox).toHaveAttribute("data-status", "STOP", { timeout: 10_000 });
    await expect(outbox.getByTestId("stage-rule")).toContainText("PostgreSQL did not answer");
    console.log(`detection: outbox STOP shown ${Date.now() - faultAt} ms after the hang`);
    // Once the health check has found PostgreSQL silent, a request that needs it is refused at once
    // with the reason rather than queued behind the hung server.
    await expect
      .poll(async () => (await (await request.get(`${OUTBOX_API.rows}?limit=5`, { timeout: ANSWER_TIMEOUT_MS })).json()).error, { timeout: 10_000 })
      .toMatch(/PostgreSQL is not answering \(PostgreSQL at .* did not answer within \d+ ms/);
    const asked = Date.now();
    const rows = await request.get(`${OUTBOX_API.rows}?limit=5`, { timeout: ANSWER_TIMEOUT_MS });
    const answeredMs = Date.now() - asked;
    expect(rows.status()).toBe(503);
    expect((await rows.json()).error).toMatch(/PostgreSQL is not answering/);
    console.log(`answered while hung: ${answeredMs} ms`);
    const first = await early;
    expect(first.status).toBe(503);
    expect(first.body.error).toMatch(/PostgreSQL (did not answer within 2 s|did not accept a connection in time|is not answering)/);
    console.log(`a request made at the hang answered after ${first.ms} ms: ${first.body.error}`);
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
