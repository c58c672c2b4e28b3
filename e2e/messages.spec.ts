import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { expect, test, type APIRequestContext, type Download, type Page } from "@playwright/test";
import pg from "pg";
import { MESSAGES_API, type SearchResult, type TopicsResponse } from "@/lib/contracts/messages";
import type { MessageFilter } from "@/lib/contracts/message-filter";
import type { TailRecordSummary } from "@/lib/contracts/tail";
import { insertOutboxEvent, startOutboxTraffic } from "./outbox-traffic";
import { gotoPage } from "./lib/pages";

/**
 * The Messages page in the browser, through the real pipeline: outbox rows inserted here reach the
 * topic through Debezium, and the processor's write-back (status → processed) follows as an update.
 * The live tail with quick filters and pause, browse by offset and time with paging, a search with
 * its progress and cancel, the inspector (payload, update diff), exports, and payloads that hold
 * markup shown as text.
 */

const env = parseEnv(readFileSync(resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env"), "utf8"));
const OUTBOX_TOPIC = env.OUTBOX_TOPIC!;

// Outbox → Debezium → topic → the server → the browser: seconds on the test stack; a loaded machine gets more.
const ON_TOPIC_TIMEOUT_MS = 30_000;
// Behind a backlog of LONG_SEARCH_RECORDS still streaming through Debezium, on a loaded machine.
const BACKLOG_TIMEOUT_MS = 120_000;
// The processor marks a row processed within a second or two of reading it.
const PROCESSED_TIMEOUT_MS = 30_000;
// A search of the whole test topic ends within seconds.
const SEARCH_DONE_TIMEOUT_MS = 60_000;
/**
 * Records the cancel test needs in its range: enough that the search is still reading when Cancel
 * is clicked (a fraction of a second after Start), at the tens of thousands of records a second
 * the server scans.
 */
const LONG_SEARCH_RECORDS = 150_000;

/** Rows the reader scrolls down in the live list before new ones arrive. */
const SCROLLED_ROWS = 30;

const startedAt = Date.now();
/** Searches start shortly before this spec did: its own records are all after. */
const SEARCH_FROM = new Date(startedAt - 60_000).toISOString();

function origin(baseURL: string | undefined): string {
  return new URL(baseURL!).origin;
}

/**
 * The records of the topic that match `filter` since this spec started, read through the search
 * API (the same server, without the page), once `enough` says they are all there.
 */
async function recordsOnTopic(request: APIRequestContext, baseURL: string | undefined, filter: MessageFilter, enough: (records: TailRecordSummary[]) => boolean): Promise<TailRecordSummary[]> {
  let found: TailRecordSummary[] = [];
  await expect
    .poll(
      async () => {
        const started = await request.post(MESSAGES_API.search, { data: { filter, from: SEARCH_FROM, maxResults: 100 }, headers: { origin: origin(baseURL) } });
        expect(started.status(), await started.text()).toBe(202);
        const { searchId } = (await started.json()) as { searchId: string };
        let result: SearchResult;
        do {
          result = (await (await request.get(MESSAGES_API.searchOne(searchId))).json()) as SearchResult;
        } while (result.state !== "done");
        found = result.results;
        return enough(found);
      },
      { timeout: ON_TOPIC_TIMEOUT_MS, intervals: [250, 500, 1_000] },
    )
    .toBe(true);
  return found;
}

async function readDownload(download: Download): Promise<string> {
  const path = await download.path();
  return readFileSync(path, "utf8");
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function rowAttributes(page: Page, testId: string, attribute: string): Promise<string[]> {
  return page.getByTestId(testId).evaluateAll((rows, name) => rows.map((row) => row.getAttribute(name) ?? ""), attribute);
}

/** Opens the search form at `url` once it can be used: its topic list loaded by the browser, which only a hydrated form does. */
async function openSearchForm(page: Page, url: string): Promise<void> {
  await gotoPage(page, url);
  await expect(page.getByTestId("search-topic")).toContainText("partition");
}

test.describe("messages", () => {
  test("the live tail shows an inserted event, the event-type quick filter keeps only its records, and pause holds the list", async ({ page }) => {
    const eventType = `E2eLive${randomUUID().slice(0, 8)}`;
    await gotoPage(page, "/messages");
    await expect(page.getByTestId("messages-mode-live")).toHaveAttribute("aria-current", "page");
    // Subscribed once the live connection is up (the list stops waiting for it).
    await expect(page.getByTestId("tail-list")).not.toContainText("Waiting for the live connection", { timeout: 15_000 });

    const eventId = randomUUID();
    await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { total: 12 } });
    const created = page.locator(`[data-testid="tail-row"][data-event-type="${eventType}"][data-op="c"]`);
    await expect(created).toHaveCount(1, { timeout: ON_TOPIC_TIMEOUT_MS });
    await expect(page.getByTestId("tail-rate")).toHaveAttribute("data-topic-rate", /^\d/);

    await page.getByTestId("tail-filter-event-type").fill(eventType);
    await page.getByTestId("tail-filter-event-type").press("Enter");
    await expect(page).toHaveURL(new RegExp(`eventType=${eventType}`));
    // Only its records are left (its insert, and the processor's update when it has come).
    const shownTypes = async () => [...new Set(await rowAttributes(page, "tail-row", "data-event-type"))];
    await expect.poll(shownTypes).toEqual([eventType]);
    await expect(page.locator(`[data-testid="tail-row"][data-event-type="${eventType}"][data-op="u"]`)).toHaveCount(1, { timeout: PROCESSED_TIMEOUT_MS });

    // Others keep arriving on the topic but not in the filtered list.
    await insertOutboxEvent({ eventId: randomUUID(), aggregateId: randomUUID(), aggregateType: "Payment", eventType: `${eventType}Other`, payload: {} });

    // Paused: the list stands still, and what arrived meanwhile is counted.
    await page.getByTestId("tail-pause").click();
    await expect(page.getByTestId("tail-pause")).toHaveAttribute("data-paused", "true");
    await insertOutboxEvent({ eventId: randomUUID(), aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { total: 13 } });
    await expect(page.getByTestId("tail-paused-count")).not.toHaveAttribute("data-arrived", "0", { timeout: ON_TOPIC_TIMEOUT_MS });
    await expect(page.locator(`[data-testid="tail-row"][data-event-type="${eventType}"]`)).toHaveCount(2);
    await page.getByTestId("tail-pause").click();
    await expect(page.locator(`[data-testid="tail-row"][data-event-type="${eventType}"][data-op="c"]`)).toHaveCount(2);
    expect(await shownTypes()).toEqual([eventType]);
  });

  test("a reader scrolled down the live list keeps the rows they are reading while new ones arrive on top", async ({ page }) => {
    const stopTraffic = startOutboxTraffic();
    try {
      await gotoPage(page, "/messages");
      const list = page.getByTestId("tail-list");
      await expect(list).not.toContainText("Waiting for the live connection", { timeout: 15_000 });
      const rowCount = async () => Number(await list.getAttribute("aria-rowcount"));
      await expect.poll(rowCount, { timeout: ON_TOPIC_TIMEOUT_MS }).toBeGreaterThanOrEqual(SCROLLED_ROWS * 2);

      // The record in the list's first visible row (just under the sticky header).
      const topRecord = () =>
        list.evaluate((element) => {
          const box = element.getBoundingClientRect();
          const header = element.querySelector('[role="row"]')!.getBoundingClientRect();
          const row = document.elementFromPoint(box.left + 40, header.bottom + 6)?.closest('[data-testid="tail-row"]');
          return row ? `${row.getAttribute("data-partition")}:${row.getAttribute("data-offset")}` : null;
        });
      const scrolledTo = await list.evaluate((element, rows) => {
        element.scrollTop = rows * element.querySelector('[data-testid="tail-row"]')!.getBoundingClientRect().height;
        return element.scrollTop;
      }, SCROLLED_ROWS);
      await expect.poll(topRecord).not.toBeNull();
      const reading = await topRecord();
      const countThen = await rowCount();

      // Rows keep arriving on top (the list grows) and the reader's row stays where it was.
      await expect.poll(rowCount, { timeout: ON_TOPIC_TIMEOUT_MS }).toBeGreaterThanOrEqual(countThen + 20);
      expect(await topRecord()).toBe(reading);
      expect(await list.evaluate((element) => element.scrollTop)).toBeGreaterThan(scrolledTo);
    } finally {
      await stopTraffic();
    }
  });

  test("browse jumps to an offset and to a time, and pages older and newer", async ({ page, request, baseURL }) => {
    const eventType = `E2eBrowse${randomUUID().slice(0, 8)}`;
    const eventId = randomUUID();
    await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { n: 1 } });
    // Its insert and the processor's update: the update is at a later offset of the same partition.
    const records = await recordsOnTopic(request, baseURL, { eventType }, (found) => found.some((record) => record.op === "u"));
    const create = records.find((record) => record.op === "c")!;
    const update = records.find((record) => record.op === "u")!;
    expect(update.partition).toBe(create.partition);

    await gotoPage(page, "/messages?mode=browse");
    await expect(page.getByTestId("browse-row").first()).toBeVisible({ timeout: 15_000 });
    await page.getByTestId("browse-partition").selectOption(String(update.partition));
    await expect(page).toHaveURL(new RegExp(`partition=${update.partition}`));
    await page.getByTestId("browse-from-kind").selectOption("offset");
    await page.getByTestId("browse-offset").fill(update.offset);
    await page.getByTestId("browse-limit").fill("1");
    await page.getByTestId("browse-go").click();
    const rows = page.getByTestId("browse-row");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-offset", update.offset);
    await expect(rows.first()).toHaveAttribute("data-event-type", eventType);

    // One page back is the record before it; one page forward again is it.
    await page.getByTestId("browse-older").click();
    await expect(rows.first()).toHaveAttribute("data-offset", String(Number(update.offset) - 1));
    await page.getByTestId("browse-newer").click();
    await expect(rows.first()).toHaveAttribute("data-offset", update.offset);

    // A time, typed on the browser's clock: the first record at or after it, in this partition.
    const second = Math.floor(create.timestamp / 1_000) * 1_000;
    const local = await page.evaluate((ms) => {
      const date = new Date(ms);
      const pad = (value: number) => String(value).padStart(2, "0");
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    }, second);
    await page.getByTestId("browse-from-kind").selectOption("time");
    await page.getByTestId("browse-time").fill(local);
    await expect(page.getByTestId("browse-time-utc")).toContainText(new Date(second).toISOString().slice(0, 19).replace("T", " "));
    await page.getByTestId("browse-limit").fill("5");
    await page.getByTestId("browse-go").click();
    await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}T/);
    // The page before (the update, later than the insert) is replaced by the one from the time.
    await expect.poll(async () => Number(await rows.first().getAttribute("data-offset"))).toBeLessThanOrEqual(Number(create.offset));
    expect(Number(await rows.first().getAttribute("data-timestamp"))).toBeGreaterThanOrEqual(second);
    expect(await rows.first().getAttribute("data-partition")).toBe(String(create.partition));
  });

  test("a search by event type and a payload field finds exactly the inserted events and says why it stopped", async ({ page, request, baseURL }) => {
    const eventType = `E2eSearch${randomUUID().slice(0, 8)}`;
    const orderRef = `ref-${randomUUID()}`;
    const wanted = [randomUUID(), randomUUID()];
    for (const eventId of wanted) await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { orderRef, amount: 5 } });
    await insertOutboxEvent({ eventId: randomUUID(), aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { orderRef: "someone-else", amount: 5 } });
    await recordsOnTopic(request, baseURL, { eventType, op: ["c"] }, (found) => found.length === 3);

    await openSearchForm(page, "/messages?mode=search");
    await page.getByTestId("search-filter-event-type").fill(eventType);
    await page.getByTestId("search-filter-path").fill("payload.orderRef");
    await page.getByTestId("search-filter-path-match").selectOption("equals");
    await page.getByTestId("search-filter-path-value").fill(orderRef);
    // Inserts only: the processor's updates carry the same payload.
    await page.getByTestId("search-filter-op").locator('[data-op="c"]').click();
    await page.getByTestId("search-start").click();

    const progress = page.getByTestId("search-progress");
    await expect(progress).toHaveAttribute("data-state", "done", { timeout: SEARCH_DONE_TIMEOUT_MS });
    await expect(progress).toHaveAttribute("data-stop-reason", "range-end");
    await expect(progress).toHaveAttribute("data-matched", "2");
    await expect(progress).toContainText("searched the whole range");
    const results = page.getByTestId("search-result");
    await expect(results).toHaveCount(2);
    expect((await rowAttributes(page, "search-result", "data-event-id")).sort()).toEqual([...wanted].sort());
    expect(new Set(await rowAttributes(page, "search-result", "data-op"))).toEqual(new Set(["c"]));

    // The link holds the search: a reload shows the same results.
    await expect(page).toHaveURL(/search=[\w-]+/);
    await page.reload();
    await expect(page.getByTestId("search-result")).toHaveCount(2);
    await expect(page.getByTestId("search-summary")).toContainText(`payload.orderRef equals ${orderRef}`);
    await page.getByTestId("search-edit").click();
    await expect(page.getByTestId("search-filter-path-value")).toHaveValue(orderRef);
  });

  test("cancelling a long search stops it, and it says so", async ({ page, request }) => {
    // The range must be long enough to be still running when Cancel is clicked: fill the topic up
    // to LONG_SEARCH_RECORDS with rows the processor leaves alone (already processed).
    const topics = (await (await request.get(MESSAGES_API.topics)).json()) as TopicsResponse;
    const recordsNow = () => request.get(MESSAGES_API.topics).then(async (response) => {
      const outbox = ((await response.json()) as TopicsResponse).topics.find((topic) => topic.topic === OUTBOX_TOPIC)!;
      return outbox.partitions.reduce((sum, mark) => sum + Number(mark.high) - Number(mark.low), 0);
    });
    const outbox = topics.topics.find((topic) => topic.topic === OUTBOX_TOPIC)!;
    const present = outbox.partitions.reduce((sum, mark) => sum + Number(mark.high) - Number(mark.low), 0);
    if (present < LONG_SEARCH_RECORDS) {
      const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 1 });
      try {
        await pool.query(
          `INSERT INTO ${env.OUTBOX_TABLE} (aggregate_id, aggregate_type, event_type, payload, status, processed_at)
           SELECT 'bulk-' || n, 'E2eBulk', 'E2eBulk', jsonb_build_object('n', n), 'processed', now() FROM generate_series(1, $1::int) AS n`,
          [LONG_SEARCH_RECORDS - present],
        );
      } finally {
        await pool.end();
      }
      await expect.poll(recordsNow, { timeout: 120_000, intervals: [1_000] }).toBeGreaterThanOrEqual(LONG_SEARCH_RECORDS);
    }

    // Every record is decoded and matched by path: a search that reads the whole topic.
    await openSearchForm(page, `/messages?mode=search&path=payload.e2eNoSuchField${randomUUID().slice(0, 8)}&match=exists`);
    await page.getByTestId("search-start").click();
    await page.getByTestId("search-cancel").click();
    const progress = page.getByTestId("search-progress");
    await expect(progress).toHaveAttribute("data-state", "done", { timeout: SEARCH_DONE_TIMEOUT_MS });
    await expect(progress).toHaveAttribute("data-stop-reason", "cancelled");
    await expect(progress).toContainText("cancelled");
    const scanned = Number(await progress.getAttribute("data-scanned"));
    expect(scanned).toBeLessThan(Number(await progress.getAttribute("data-range-total")));
    await expect(page.getByTestId("search-cancel")).toHaveCount(0);
  });

  test("the inspector shows an update's diff with the status changed, the payload, and the event link", async ({ page, request, baseURL }) => {
    const eventType = `E2eInspect${randomUUID().slice(0, 8)}`;
    const eventId = randomUUID();
    const customer = `cust-${randomUUID().slice(0, 8)}`;
    await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { customer, items: [{ sku: "A-1", qty: 2 }] } });
    const records = await recordsOnTopic(request, baseURL, { eventType }, (found) => found.some((record) => record.op === "u"));
    const update = records.find((record) => record.op === "u")!;

    // From the search list: a click opens the side panel.
    await openSearchForm(page, `/messages?mode=search&eventType=${eventType}&from=${encodeURIComponent(SEARCH_FROM)}`);
    await page.getByTestId("search-start").click();
    await expect(page.getByTestId("search-progress")).toHaveAttribute("data-state", "done", { timeout: SEARCH_DONE_TIMEOUT_MS });
    await page.locator(`[data-testid="search-result"][data-op="u"]`).click();
    const inspector = page.getByTestId("inspector");
    await expect(inspector).toHaveAttribute("data-kind", "change");
    await expect(inspector).toHaveAttribute("data-op", "u");
    await expect(page).toHaveURL(new RegExp(`msg=${OUTBOX_TOPIC.replace(/\./g, "\\.")}%3A${update.partition}%3A${update.offset}`));
    await expect(inspector.locator('[data-testid="inspector-diff-field"][data-field="status"]')).toHaveAttribute("data-changed", "true");
    await expect(inspector.locator('[data-testid="inspector-diff-field"][data-field="status"]')).toContainText("pending");
    await expect(inspector.locator('[data-testid="inspector-diff-field"][data-field="status"]')).toContainText("processed");
    await expect(inspector.locator('[data-testid="inspector-diff-field"][data-field="event_id"]')).toHaveAttribute("data-changed", "false");
    await expect(inspector.getByTestId("inspector-payload")).toContainText(customer);
    await expect(inspector.getByTestId("inspector-payload")).toContainText('"sku": "A-1"');
    await expect(inspector.getByTestId("inspector-lsn")).toHaveText(/^[0-9A-F]+\/[0-9A-F]+$/);
    await expect(inspector.getByTestId("inspector-event-link")).toHaveAttribute("href", `/events/${eventId}`);

    // The message's own page, by URL.
    await gotoPage(page, `/messages/${OUTBOX_TOPIC}/${update.partition}/${update.offset}`);
    await expect(page.getByTestId("inspector")).toHaveAttribute("data-op", "u");
    await expect(page.getByTestId("inspector-payload")).toContainText(customer);
    await page.getByTestId("inspector-form-tree").click();
    await expect(page.getByTestId("inspector-tree")).toContainText('"processed"');
    await page.getByTestId("inspector-form-hex").click();
    await expect(page.getByTestId("inspector-hex")).toContainText("00000000  7b");

    // A position with nothing there says so.
    await gotoPage(page, `/messages/${OUTBOX_TOPIC}/${update.partition}/999999999999`);
    await expect(page.getByTestId("inspector-not-found")).toBeVisible();
  });

  test("exports: the browse range as JSON Lines from the server, and the selected rows from the browser", async ({ page, request, baseURL }) => {
    const eventType = `E2eExport${randomUUID().slice(0, 8)}`;
    const eventId = randomUUID();
    await insertOutboxEvent({ eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType, payload: { exported: true } });
    const [create] = await recordsOnTopic(request, baseURL, { eventType, op: ["c"] }, (found) => found.length === 1);

    await gotoPage(page, `/messages?mode=browse&partition=${create!.partition}&from=${create!.offset}&limit=5`);
    const row = page.locator(`[data-testid="browse-row"][data-offset="${create!.offset}"]`);
    await expect(row).toHaveAttribute("data-event-type", eventType);

    const [serverExport] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-jsonl").click()]);
    const exported = jsonLines(await readDownload(serverExport));
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(exported.length).toBeLessThanOrEqual(5);
    expect(exported).toContainEqual(expect.objectContaining({ offset: create!.offset, kind: "change", after: expect.objectContaining({ event_id: eventId }) }));

    await row.getByTestId("browse-row-check").check();
    await expect(page.getByTestId("export-selected")).toHaveAttribute("data-count", "1");
    const [selectedExport] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-selected").click()]);
    const selected = jsonLines(await readDownload(selectedExport));
    expect(selected).toEqual([expect.objectContaining({ offset: create!.offset, partition: create!.partition, after: expect.objectContaining({ event_id: eventId, event_type: eventType }) })]);
  });

  test("a payload holding markup and script is shown as text, never run", async ({ page, request, baseURL }) => {
    // It may run behind the long-search test's records, still streaming through Debezium.
    test.setTimeout(180_000);
    const marker = randomUUID().slice(0, 8);
    const eventType = `E2eXss${marker}<b>bold</b>`;
    const script = `<script>window.__xss${marker}=1;alert("xss")</script><img src="x" onerror="window.__xss${marker}=2;alert(2)">`;
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await gotoPage(page, "/messages");
    await expect(page.getByTestId("tail-list")).not.toContainText("Waiting for the live connection", { timeout: 15_000 });
    // Only this event in the list: other traffic would push its row out of the rendered window.
    await page.getByTestId("tail-filter-event-type").fill(eventType);
    await page.getByTestId("tail-filter-event-type").press("Enter");
    const eventId = randomUUID();
    await insertOutboxEvent({ eventId, aggregateId: `<i>${marker}</i>`, aggregateType: "Payment", eventType, payload: { note: script, [`<svg onload=alert(3)>`]: "key" } });
    const tailRow = page.locator(`[data-testid="tail-row"][data-event-id="${eventId}"]`).first();
    await expect(tailRow).toBeVisible({ timeout: BACKLOG_TIMEOUT_MS });
    await expect(tailRow).toContainText(eventType);
    await tailRow.click();

    // Pretty JSON: the string as JSON writes it (quotes escaped), markup and all.
    const scriptAsJson = JSON.stringify(script).slice(1, -1);
    const payload = page.getByTestId("inspector-payload");
    await expect(payload).toContainText(scriptAsJson);
    await page.getByTestId("inspector-form-tree").click();
    await expect(page.getByTestId("inspector-tree")).toContainText("<svg onload=alert(3)>");
    await page.getByTestId("inspector-form-text").click();
    await expect(page.getByTestId("inspector-text")).toContainText("<script>");

    const [create] = await recordsOnTopic(request, baseURL, { eventType, op: ["c"] }, (found) => found.length === 1);
    await gotoPage(page, `/messages/${OUTBOX_TOPIC}/${create!.partition}/${create!.offset}`);
    await expect(page.getByTestId("inspector-payload")).toContainText(scriptAsJson);

    // Nothing ran and nothing was injected.
    expect(dialogs).toEqual([]);
    expect(await page.evaluate((name) => (window as unknown as Record<string, unknown>)[name], `__xss${marker}`)).toBeUndefined();
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator("svg[onload]")).toHaveCount(0);
    await expect(page.locator("b", { hasText: "bold" })).toHaveCount(0);
  });
});
