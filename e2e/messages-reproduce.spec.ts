import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { MESSAGES_API, type BrowsePage, type SearchResult } from "@/lib/contracts/messages";
import { bearer, signIn } from "./lib/stack-auth";
import { insertOutboxEvent } from "./outbox-traffic";
import { gotoPage } from "./lib/pages";

/**
 * Re-produce from the Messages page: an operator opens a record and produces it again; the copy is
 * on the topic with the replay headers and the audit log has the entry. A viewer is not offered it.
 */

const env = parseEnv(readFileSync(resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env"), "utf8"));
const TOPIC = env.OUTBOX_TOPIC!;

/** A page of a new browser context signed in as the operator (the spec's own context holds the shared viewer session). */
async function operatorPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page.request, baseURL!, "operator");
  return page;
}

test("an operator re-produces a record from the inspector; it is on the topic and in the audit log", async ({ browser, baseURL, page: viewerPage, request }) => {
  const eventId = randomUUID();
  await insertOutboxEvent({ eventId, aggregateId: "again-1", aggregateType: "User", eventType: `Reproduce${eventId.slice(0, 8)}`, payload: { again: true } });
  let position: { partition: number; offset: string } | undefined;
  await expect
    .poll(async () => {
      const page = (await (await request.get(`${MESSAGES_API.list}?from=end&limit=200`, { headers: bearer("viewer") })).json()) as BrowsePage;
      position = page.messages.find((message) => message.eventId === eventId && message.decoded.kind === "change" && message.decoded.op === "c")?.decoded;
      return position !== undefined;
    }, { timeout: 30_000 })
    .toBe(true);
  const path = `/messages/${encodeURIComponent(TOPIC)}/${position!.partition}/${position!.offset}`;

  // A viewer sees the message but no way to produce it again.
  await viewerPage.goto(path);
  await expect(viewerPage.getByTestId("inspector")).toBeVisible();
  await expect(viewerPage.getByTestId("reproduce-open")).toHaveCount(0);

  const page = await operatorPage(browser, baseURL);
  try {
    await gotoPage(page, path);
    await page.getByTestId("reproduce-open").click();
    await page.getByTestId("reproduce-reason").fill("the consumer lost it");
    await page.getByTestId("reproduce-submit").click();
    const result = page.getByTestId("reproduce-result");
    await expect(result).toContainText(`Produced to ${TOPIC}`);
    const auditId = await result.getAttribute("data-audit-id");

    const from = `${TOPIC}/${position!.partition}/${position!.offset}`;
    const started = (await (await request.post(MESSAGES_API.search, { headers: bearer("operator"), data: { filter: { header: { name: "x-reproduced-from", value: from } } } })).json()) as { searchId: string };
    let found: SearchResult | undefined;
    await expect
      .poll(async () => {
        found = (await (await request.get(MESSAGES_API.searchOne(started.searchId), { headers: bearer("operator") })).json()) as SearchResult;
        return found.state;
      }, { timeout: 30_000 })
      .toBe("done");
    expect(found!.matched).toBe(1);
    expect(found!.results[0]!.eventId).toBe(eventId);

    const audit = (await (await request.get("/api/audit?action=message:reproduce&limit=20", { headers: bearer("admin") })).json()) as { entries: { id: number; reason: string; outcome: string }[] };
    expect(audit.entries.find((entry) => String(entry.id) === auditId)).toMatchObject({ reason: "the consumer lost it", outcome: "succeeded" });
  } finally {
    await page.context().close();
  }
});
