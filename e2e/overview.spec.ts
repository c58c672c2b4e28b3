import { expect, test, type Page } from "@playwright/test";
import { STAGES } from "@/lib/contracts/metrics";
import { formatCount } from "@/lib/format/numbers";
import { randomUUID } from "node:crypto";
import { bearer } from "./lib/stack-auth";
import { insertOutboxEvent, startOutboxTraffic } from "./outbox-traffic";

// The first snapshot comes a second after the socket connects; every stage has had time to be
// judged well within this.
const STAGES_KNOWN_TIMEOUT_MS = 15_000;
// Two history points make a line; they come one a second once the server runs.
const CHART_DRAWN_TIMEOUT_MS = 15_000;
// Latency needs an event to travel outbox → Kafka → processor; the spec's own traffic provides it.
const LATENCY_MEASURED_TIMEOUT_MS = 45_000;
// The socket connects after the page hydrates: within a second on an idle machine, longer on a busy one.
const SOCKET_CONNECT_TIMEOUT_MS = 15_000;
// Outbox → Debezium → topic → the server's tail → the browser: seconds at most on the test stack.
const TAIL_ROW_TIMEOUT_MS = 30_000;

let stopTraffic: (() => Promise<void>) | undefined;
test.beforeAll(() => {
  stopTraffic = startOutboxTraffic();
});
test.afterAll(async () => {
  await stopTraffic?.();
});

async function stageStatuses(page: Page): Promise<string[]> {
  return Promise.all(STAGES.map(async (stage) => (await page.getByTestId(`stage-${stage}`).getAttribute("data-status")) ?? "missing"));
}

test("the overview shows the four stages of the pipeline, each with a known health", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto("/");

  for (const stage of STAGES) await expect(page.getByTestId(`stage-${stage}`)).toBeVisible();
  await expect
    .poll(() => stageStatuses(page), { timeout: STAGES_KNOWN_TIMEOUT_MS, message: "every stage leaves UNKNOWN" })
    .toEqual(STAGES.map(() => expect.stringMatching(/^(OK|WARN|STALL|STOP)$/)));

  // The rule behind each status is shown in words.
  for (const stage of STAGES) await expect(page.getByTestId(`stage-${stage}`).getByTestId("stage-rule")).toHaveText(/\w/);
  // The header pills (health of the components) stay on the page.
  await expect(page.getByTestId("health-postgres")).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test("the pending count shows the number the page holds, as an exact count", async ({ page }) => {
  await page.goto("/");
  const pending = page.getByTestId("outbox-pending");
  await expect(pending).toHaveAttribute("data-value", /^\d+$/, { timeout: STAGES_KNOWN_TIMEOUT_MS });

  // Value and text are read in one go: both change every second.
  const shown = await pending.evaluate((element) => ({
    value: element.getAttribute("data-value"),
    estimate: element.getAttribute("data-estimate"),
    text: element.textContent,
  }));
  // Pending rows are counted through a partial index: exact, never an estimate.
  expect(shown.estimate).toBe("false");
  expect(shown.text).toBe(formatCount(Number(shown.value)));
});

test("the charts draw the history and follow the time range", async ({ page }) => {
  await page.goto("/");
  const throughput = page.getByTestId("chart-throughput");
  // A line of at least two points: its path has a line-to command.
  await expect
    .poll(async () => (await throughput.locator("svg path.recharts-curve").first().getAttribute("d").catch(() => null)) ?? "", { timeout: CHART_DRAWN_TIMEOUT_MS })
    .toMatch(/L/);
  for (const id of ["chart-lag", "chart-latency", "chart-backlog"]) await expect(page.getByTestId(id).locator("svg").first()).toBeVisible();

  await page.getByTestId("range-1m").click();
  await expect(page.getByTestId("range-1m")).toHaveAttribute("aria-pressed", "true");
  // One point a second: a minute holds at most 61 of them.
  await expect.poll(async () => Number(await throughput.getAttribute("data-points"))).toBeLessThanOrEqual(61);

  await page.getByTestId("range-15m").click();
  // 15 minutes of history is up to 900 points; the chart draws about one per pixel of its width.
  const drawn = Number(await throughput.getAttribute("data-drawn"));
  const width = (await throughput.boundingBox())?.width ?? 0;
  expect(drawn).toBeLessThanOrEqual(Math.ceil(width));
});

test("the latency table has every hop and window, and measures the events that flowed", async ({ page }) => {
  await page.goto("/");
  for (const hop of ["capture", "outboxToKafka", "kafkaToProcessed", "endToEnd"]) {
    for (const window of ["1m", "5m", "15m"]) await expect(page.getByTestId(`latency-${hop}-${window}`)).toBeAttached();
  }
  const capture = page.getByTestId("latency-capture-1m");
  await expect.poll(async () => Number((await capture.getAttribute("data-count")) || 0), { timeout: LATENCY_MEASURED_TIMEOUT_MS }).toBeGreaterThan(0);
  await expect(capture).toHaveAttribute("data-p99", /^\d+(\.\d+)?$/);
});

test("latest events shows an event inserted into the outbox as it passes through the topic", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("conn-state")).toHaveAttribute("data-state", "connected", { timeout: SOCKET_CONNECT_TIMEOUT_MS });
  // The list is live (the spec's traffic fills it) before the event is written.
  await expect(page.getByTestId("tail-row").first()).toBeAttached({ timeout: TAIL_ROW_TIMEOUT_MS });
  // The list keeps the ten newest records: with traffic flowing, a busy browser that handles
  // several batches before it renders may never draw a given row. Without traffic, the probe's
  // insert and its write-back are the newest records, and must stay on the list once they arrive.
  await stopTraffic?.();
  try {
    const event = { eventId: randomUUID(), aggregateId: randomUUID(), aggregateType: "User" as const, eventType: "LatestEventsProbe", payload: { probe: true } };
    await insertOutboxEvent(event);
    const row = page.locator(`[data-testid="tail-row"][data-event-id="${event.eventId}"]`).first();
    await expect(row).toBeVisible({ timeout: TAIL_ROW_TIMEOUT_MS });
    await expect(row).toContainText("LatestEventsProbe");
    await expect(row).toContainText("User");
    await expect(row).toHaveAttribute("data-offset", /^\d+$/);
  } finally {
    stopTraffic = startOutboxTraffic();
  }
});

test("/metrics serves the pipeline's numbers and a cumulative event-loop delay histogram that no scrape resets", async ({ request }) => {
  const count = (text: string) => Number(/^outbox_lens_event_loop_delay_seconds_count (\d+)/m.exec(text)?.[1] ?? NaN);
  const first = await request.get("/metrics", { headers: bearer("viewer") });
  expect(first.status()).toBe(200);
  const text = await first.text();
  expect(text).toMatch(/^outbox_lens_stage_health\{stage="outbox"\} -?\d/m);
  expect(text).toMatch(/^outbox_lens_event_loop_delay_seconds_bucket\{le="0\.02"\} \d+/m);
  const before = count(text);
  expect(before).toBeGreaterThan(0);
  // A sample every 10 ms: the next scrapes see more, never fewer (a per-scrape reset would start again from 0).
  await expect.poll(async () => count(await (await request.get("/metrics", { headers: bearer("viewer") })).text())).toBeGreaterThan(before);
});
