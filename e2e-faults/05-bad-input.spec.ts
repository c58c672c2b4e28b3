import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { MESSAGES_API, type BrowsePage } from "@/lib/contracts/messages";
import { createKafkaClient } from "@/server/kafka/client";
import type { Logger } from "@/server/log";
import { bearer } from "../e2e/lib/stack-auth";
import { env, PAGES } from "./pipeline";

/**
 * Hostile records produced into the CDC topic while the dashboard runs: binary, invalid UTF-8,
 * 20 MB, malformed JSON, nesting 10,000 deep, a 5 MB JSON string, tombstones, an unknown op, and
 * HTML/script in fields. The server stays up, every page renders, everything is shown as data and
 * nothing runs.
 */

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };
const MB = 1024 * 1024;
const marker = `xss-${randomUUID().slice(0, 8)}`;
const SCRIPT = `<img src=x onerror="window.__xss='${marker}'"><script>window.__xss='${marker}'</script>`;

function envelope(op: string, eventType: string, payload: unknown): string {
  const after = { event_id: randomUUID(), aggregate_id: "bad-1", aggregate_type: "Hostile", event_type: eventType, payload: JSON.stringify(payload), status: "pending", created_at: new Date().toISOString() };
  return JSON.stringify({ before: null, after, source: { connector: "postgresql", db: "activity", schema: "activity", table: "event_outbox", ts_ms: Date.now(), snapshot: "false" }, op, ts_ms: Date.now() });
}

test("hostile records: the server stays up, every page renders, nothing is executed", async ({ page, request }) => {
  const client = createKafkaClient({ clientId: "faults-corpus", brokers: env.KAFKA_BROKERS!.split(","), logger: quiet });
  const producer = client.producer();
  await producer.connect();
  try {
    const corpus: { key: string | Buffer | null; value: string | Buffer | null }[] = [
      { key: Buffer.from([0x00, 0xff, 0xfe]), value: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x80]) },
      { key: "bad-utf8", value: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) },
      { key: "big", value: JSON.stringify({ blob: "z".repeat(20 * MB) }) },
      { key: "malformed", value: '{"before": null, "after": {"event_id": ' },
      { key: "deep", value: `${"[".repeat(10_000)}${"]".repeat(10_000)}` },
      { key: "long-string", value: JSON.stringify("s".repeat(5 * MB)) },
      { key: "tombstone", value: null },
      { key: "unknown-op", value: envelope("x", "UnknownOp", {}) },
      { key: "html", value: envelope("c", SCRIPT, { note: SCRIPT }) },
      { key: SCRIPT, value: SCRIPT },
    ];
    for (const record of corpus) await producer.send({ topic: env.OUTBOX_TOPIC!, messages: [record] });
  } finally {
    await producer.disconnect();
  }

  page.on("dialog", (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  // The newest page of the topic holds the corpus, decoded, as data.
  let html: { partition: number; offset: string } | undefined;
  await expect
    .poll(async () => {
      const response = await request.get(`${MESSAGES_API.list}?from=end&limit=50`, { headers: bearer("viewer") });
      if (!response.ok()) return 0;
      const body = (await response.json()) as BrowsePage;
      const found = body.messages.filter((message) => ["bad-utf8", "big", "malformed", "deep", "long-string", "tombstone", "unknown-op", "html"].includes(message.raw.key.data));
      html = found.find((message) => message.raw.key.data === "html")?.decoded;
      return found.length;
    }, { timeout: 30_000 })
    .toBe(8);

  for (const path of [...PAGES, "/messages?mode=browse&from=end"]) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    await expect(page.getByText("Application error")).toHaveCount(0);
  }
  // The browse page lists the records; the inspector shows the script as text, never as markup.
  await page.goto("/messages?mode=browse&from=end");
  await expect(page.getByTestId("browse-row").first()).toBeVisible({ timeout: 15_000 });
  await page.goto(`/messages/${encodeURIComponent(env.OUTBOX_TOPIC!)}/${html!.partition}/${html!.offset}`);
  await expect(page.getByTestId("inspector")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText(SCRIPT).first()).toBeVisible({ timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect((await request.get("/api/ready")).status()).toBe(200);
});
