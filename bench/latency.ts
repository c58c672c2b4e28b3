// npm run bench:latency -- [--probes 100] [--load-rate 5000] [--load-seconds 30] [--rate-trials 10]
// Kafka append → visible in the browser, measured in Debian's Chromium on the Overview page of the
// production server watching the bench stack. Records are appended with kcat (CreateTime set when
// kcat takes the record, a millisecond or two before the append: the figures slightly overstate).
//   sampled messages: the moment a record's row is inserted into the page's "Latest events" list
//     (a MutationObserver in the page), minus the record's Kafka timestamp; once for single records
//     on a quiet topic, once for every row shown while the topic takes --load-rate records a second.
//   rates: from the first record appended to a quiet topic to the moment the topic's
//     "Messages" figure on the page turns non-zero.
// Targets: ≤ 100 ms p99 for a sampled message; ≤ 1.2 s (one snapshot period) for rates.
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, inspect, up } from "@/stack/lifecycle";
import { CHROMIUM_LAUNCH_OPTIONS } from "@/stack/lib/chromium";
import { waitUntil } from "@/stack/lib/proc";
import { changeEvent } from "./lib/change-event";
import { KcatProducer } from "./lib/kcat-producer";
import { ensureProductionBuild, startServer } from "@/stack/lib/app-server";

/** Pause between probes on the quiet topic: longer than a batch interval, so each goes out on its own. */
const PROBE_INTERVAL_MS = 200;
/** Records per second while a rate trial runs: enough for the figure to be unmistakably non-zero. */
const RATE_TRIAL_RECORDS_PER_SEC = 200;

interface SeenRow {
  eventId: string;
  timestamp: number;
  /** When the server's tail read the record. */
  receivedAt: number;
  seenAt: number;
}

/** The whole way, and its two parts: Kafka → the server's tail, and the server → the page. */
function describeRows(rows: SeenRow[]): string {
  return [
    `append → row on the page: ${summary(rows.map((row) => row.seenAt - row.timestamp))}`,
    `    of which append → server tail: ${summary(rows.map((row) => row.receivedAt - row.timestamp))}`,
    `    and server tail → page: ${summary(rows.map((row) => row.seenAt - row.receivedAt))}`,
  ].join("\n");
}

function summary(values: number[]): string {
  if (values.length === 0) return "no samples";
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return `p50 ${at(50).toFixed(0)} ms, p90 ${at(90).toFixed(0)} ms, p99 ${at(99).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (n=${values.length})`;
}

/** Records, in the page, every "Latest events" row when React inserts it, and when the topic's rate figure changes. */
async function observe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const rows: { eventId: string; timestamp: number; receivedAt: number; seenAt: number }[] = [];
    const rateChanges: { value: string; at: number }[] = [];
    const seen = new Set<Element>();
    Object.assign(window, { benchRows: rows, benchRateChanges: rateChanges });
    new MutationObserver((mutations) => {
      const at = Date.now();
      for (const mutation of mutations) {
        if (mutation.type === "attributes") {
          const target = mutation.target as HTMLElement;
          if (target.dataset.testid === "topic-messages-rate") rateChanges.push({ value: target.dataset.value ?? "", at });
          continue;
        }
        for (const node of mutation.addedNodes) {
          if (!(node instanceof HTMLElement)) continue;
          const found = node.dataset.testid === "tail-row" ? [node] : [...node.querySelectorAll<HTMLElement>('[data-testid="tail-row"]')];
          for (const row of found) {
            if (seen.has(row)) continue;
            seen.add(row);
            rows.push({ eventId: row.dataset.eventId ?? "", timestamp: Number(row.dataset.timestamp), receivedAt: Number(row.dataset.receivedAt), seenAt: at });
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-value"] });
  });
}

async function takeRows(page: Page): Promise<SeenRow[]> {
  return page.evaluate(() => {
    const holder = window as unknown as { benchRows: SeenRow[] };
    return holder.benchRows.splice(0);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { probes: { type: "string", default: "100" }, "load-rate": { type: "string", default: "5000" }, "load-seconds": { type: "string", default: "30" }, "rate-trials": { type: "string", default: "10" } },
  });
  ensureProductionBuild();
  const config = stackConfig({ profile: "bench" }, { ...process.env, STACK_PROCESSOR: "off" });
  const startedHere = !(await inspect(config)).healthy;
  if (startedHere) await up(config, () => undefined);
  const env = stackEnv(config);
  const server = await startServer({ envFile: path.join(config.dir, "env"), port: config.ports.app, logFile: path.join(config.dir, "logs", "bench-server.log") });
  let producer = new KcatProducer(env.KAFKA_BROKERS!, env.OUTBOX_TOPIC!);
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const cleanup = async () => {
    await browser.close();
    await producer.close().catch(() => undefined);
    await server.stop();
    if (startedHere) await down(config, () => undefined);
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.getByTestId("conn-state").and(page.locator('[data-state="connected"]')).waitFor({ timeout: 30_000 });
    await observe(page);
    let index = 0;

    // Sampled messages on a quiet topic.
    const probeIds = new Set<string>();
    const probeOrder: string[] = [];
    for (let i = 0; i < Number(values.probes); i++) {
      const record = changeEvent({ index: index++, now: Date.now(), eventType: "LatencyProbe" });
      probeIds.add(record.eventId);
      probeOrder.push(record.eventId);
      await producer.send(record.key, record.value);
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
    // kcat -P holds what it has read of its input until more comes or the input ends (see
    // bench/lib/kcat-producer.ts): the last probes reach Kafka only when its stdin closes. Their
    // latency counts from the Kafka timestamp, set when kcat hands them over, so the wait is not measured.
    await producer.close();
    producer = new KcatProducer(env.KAFKA_BROKERS!, env.OUTBOX_TOPIC!);
    const ids = [...probeIds];
    await waitUntil(
      async () => (await page.evaluate((wanted) => (window as unknown as { benchRows: { eventId: string }[] }).benchRows.filter((row) => wanted.includes(row.eventId)).length, ids)) >= ids.length,
      { timeoutMs: 10_000, what: "every probe on the page" },
    ).catch(() => undefined);
    const quiet = (await takeRows(page)).filter((row) => probeIds.has(row.eventId));
    const shownIds = new Set(quiet.map((row) => row.eventId));
    const missing = probeOrder.flatMap((id, i) => (shownIds.has(id) ? [] : [i + 1]));
    console.log(`quiet topic, ${probeIds.size} single records: ${quiet.length} shown${missing.length > 0 ? ` (not seen: probe ${missing.join(", ")})` : ""}\n${describeRows(quiet)}`);

    // Sampled messages under load: every row the page shows is a sampled message.
    const loadRate = Number(values["load-rate"]);
    const produced = await producer.produceAtRate({ rate: loadRate, durationMs: Number(values["load-seconds"]) * 1000, make: () => changeEvent({ index: index++, now: Date.now() }) });
    const loaded = await takeRows(page);
    console.log(`${loadRate} records/s for ${values["load-seconds"]} s (${produced} records): ${loaded.length} rows shown\n${describeRows(loaded)}`);

    // Rates: first append on a quiet topic → the Messages figure turns non-zero.
    const rateLatencies: number[] = [];
    const rateFigure = page.getByTestId("topic-messages-rate");
    for (let trial = 0; trial < Number(values["rate-trials"]); trial++) {
      await waitUntil(async () => (await rateFigure.getAttribute("data-value")) === "0", { timeoutMs: 15_000, what: "the Messages figure back at 0" });
      await page.evaluate(() => (window as unknown as { benchRateChanges: unknown[] }).benchRateChanges.splice(0));
      const firstAppend = Date.now();
      await producer.produceAtRate({ rate: RATE_TRIAL_RECORDS_PER_SEC, durationMs: 2_500, make: () => changeEvent({ index: index++, now: Date.now() }) });
      const changes = await page.evaluate(() => (window as unknown as { benchRateChanges: { value: string; at: number }[] }).benchRateChanges.splice(0));
      const nonZero = changes.find((change) => Number(change.value) > 0);
      if (nonZero) rateLatencies.push(nonZero.at - firstAppend);
    }
    console.log(`rates, ${values["rate-trials"]} trials: first append → Messages figure non-zero: ${summary(rateLatencies)}`);
    console.log(`targets: sampled message p99 ≤ 100 ms; rates ≤ 1,200 ms`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:latency: ${(error as Error).message}`);
  process.exit(1);
});
