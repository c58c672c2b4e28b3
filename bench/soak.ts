// npm run bench:soak -- [--rate 2000] [--minutes 30] [--warmup 120] [--clients 20] [--out DIR] [--heap-snapshots]
// The production server over a long run of the real pipeline, on a stack of its own (profile
// "soak", .stack-soak/, ports + 14,000): the workload inserts --rate outbox events a second, which
// Debezium captures to the topic and the stack's processor consumes and writes back, for --warmup
// seconds and then --minutes more, while --clients socket.io clients follow the live tail and the
// metrics snapshots and one Chromium keeps the Overview open. Every 10 s the server's /metrics is
// read (RSS, heap, event-loop delay p99 from its cumulative histogram, the rates it sees) with the clients' worst lag of
// the interval, and appended to soak.csv at once (an interrupted run keeps what it measured);
// at the end the browser draws soak.png (with soak.svg and soak.html) and a summary is printed.
// Targets: RSS grows ≤ 50 MB from the first sample after the warm-up to the last; no client is ever
// more than 2 s behind the pipeline after the warm-up. Exit code 1 when one is missed (or the load
// was not delivered), 130 when interrupted (Ctrl-C stops the run, writes what was measured, and
// stops the server, the clients, the browser and the stack if this run started it).
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import { chromium, type Browser, type CDPSession, type Page } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import { AUTH_API } from "@/lib/contracts/auth";
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket";
import type { TailRecordSummary } from "@/lib/contracts/tail";
import { readStackCredentials, stackUsesAuth } from "@/stack/auth";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, inspect, up } from "@/stack/lifecycle";
import { ensureProductionBuild, startServer, type AppServer } from "@/stack/lib/app-server";
import { CHROMIUM_LAUNCH_OPTIONS } from "@/stack/lib/chromium";
import { runWorkload, type WorkloadProgress } from "@/stack/workload/run";
import { loopDelayBetween, MB, percentile, scrape, type Scrape } from "./lib/server-metrics";
import { timeSeriesSvg, writeChart } from "./lib/svg-chart";

// The issue's sampling period: short enough to see a trend within minutes, 180 rows for 30 minutes.
const SAMPLE_EVERY_MS = 10_000;
// The issue's targets.
const RSS_GROWTH_TARGET_MB = 50;
const CLIENT_LAG_TARGET_MS = 2_000;
// The workload must deliver at least this share of --rate × time, or the run did not test the load
// it claims (PostgreSQL or the machine could not keep up) and fails as not measured.
const LOAD_DELIVERED_SHARE = 0.95;
// Transactions in flight at once: the project workload's default, enough for 2,000 events/s.
const WORKLOAD_CONCURRENCY = 4;
// 20 websocket handshakes answer within a second on localhost; a busy 2-core machine gets this long.
const CLIENT_CONNECT_TIMEOUT_MS = 30_000;
// The Overview hydrates and opens its socket within seconds; a loaded machine gets this long.
const PAGE_CONNECT_TIMEOUT_MS = 60_000;
// Reading the page's state each sample is a few milliseconds; a renderer stalled longer is noted as not connected.
const PAGE_PROBE_TIMEOUT_MS = 3_000;
// The rendering of the chart at the end: a static page, a second at most.
const CHART_TIMEOUT_MS = 30_000;
// Resolution of the bench's own event-loop monitor: its delay bounds how late a client handler
// reads the clock, so it is reported next to the clients' lag.
const BENCH_LOOP_RESOLUTION_MS = 10;
// The browser's window: a laptop screen, as the other browser benches use.
const VIEWPORT = { width: 1440, height: 900 };

// With --heap-snapshots: when to take them, as shares of the run (after the warm-up, mid-run, at the end).
const HEAP_SNAPSHOT_AT = [0.1, 0.55, 1];
// Writing a snapshot of a few hundred MB of heap takes seconds; a slow machine gets this long.
const HEAP_SNAPSHOT_TIMEOUT_MS = 120_000;

/** Asks the server for a heap snapshot and waits until the file is written (its size stops changing). */
async function heapSnapshot(server: AppServer, dir: string): Promise<void> {
  const before = new Set(fs.readdirSync(dir));
  process.kill(server.pid, "SIGUSR2");
  const deadline = Date.now() + HEAP_SNAPSHOT_TIMEOUT_MS;
  let file: string | undefined;
  let size = -1;
  while (Date.now() < deadline) {
    await delay(1_000);
    file ??= fs.readdirSync(dir).find((name) => name.endsWith(".heapsnapshot") && !before.has(name));
    if (!file) continue;
    const now = fs.statSync(path.join(dir, file)).size;
    if (now > 0 && now === size) {
      console.log(`  heap snapshot ${file} (${(now / MB).toFixed(0)} MB)`);
      return;
    }
    size = now;
  }
  console.log(`  heap snapshot not written within ${HEAP_SNAPSHOT_TIMEOUT_MS / 1_000} s`);
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One socket client and how far behind it is: "lag" is now minus the newest Kafka record
 * timestamp it has received (on each tail batch, and again at each sample, so a client that stops
 * receiving shows a growing lag) or now minus the time of the metrics snapshot it just received.
 * Kept per 10-s interval as a few maxima; only the worst after the warm-up is kept across the run.
 */
interface ClientLag {
  socket: Client;
  /**
   * This interval: worst lag behind the topic (tail batches) and behind the snapshot; the tail lag
   * of the newest record split in its two hops, its Kafka timestamp → the server's tail (when the
   * server read it) and the server → this client.
   */
  tailMaxMs: number;
  snapshotMaxMs: number;
  readMaxMs: number;
  deliveryMaxMs: number;
  batches: number;
  /** Newest Kafka record timestamp received, epoch ms (0: none yet). */
  newestRecordAt: number;
  disconnects: number;
  requestErrors: number;
  /** Worst lag over the measured period (after the warm-up). */
  worstMs: number;
}

interface Sample extends Omit<Scrape, "at"> {
  second: number;
  insertedRate: number;
  worstClientLagMs: number;
  worstReadMs: number;
  worstDeliveryMs: number;
  /** Clients that received no tail batch in the interval. */
  silentClients: number;
  browserConnected: boolean;
  browserHeapMb: number;
  benchLoopP99Ms: number;
  scrapeFailed: boolean;
}

const CSV_COLUMNS = [
  "second",
  "rss_mb",
  "heap_used_mb",
  "heap_total_mb",
  "external_mb",
  "eventloop_p99_ms",
  "eventloop_max_ms",
  "topic_rate",
  "inserted_rate",
  "server_insert_rate",
  "processed_rate",
  "processor_lag",
  "worst_client_lag_ms",
  "worst_tail_read_ms",
  "worst_delivery_ms",
  "silent_clients",
  "browser_connected",
  "browser_heap_mb",
  "bench_loop_p99_ms",
];

function csvRow(sample: Sample): string {
  const n = (value: number, decimals: number) => (Number.isFinite(value) ? value.toFixed(decimals) : "");
  return [
    sample.second,
    n(sample.rssMb, 1),
    n(sample.heapUsedMb, 1),
    n(sample.heapTotalMb, 1),
    n(sample.externalMb, 1),
    n(sample.loopP99Ms, 2),
    n(sample.loopMaxMs, 2),
    n(sample.topicRate, 0),
    n(sample.insertedRate, 0),
    n(sample.insertRate, 0),
    n(sample.processedRate, 0),
    n(sample.groupLag, 0),
    n(sample.worstClientLagMs, 0),
    n(sample.worstReadMs, 0),
    n(sample.worstDeliveryMs, 0),
    sample.silentClients,
    sample.browserConnected ? 1 : 0,
    n(sample.browserHeapMb, 1),
    n(sample.benchLoopP99Ms, 1),
  ].join(",");
}

function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en") : "n/a";
}

function positive(name: string, text: string | undefined, integer: boolean, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || (allowZero ? value < 0 : value <= 0) || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} ${integer ? "integer" : "number"}, got ${text}`);
  }
  return value;
}

/** Stops the run early: thrown where a setup step ends after Ctrl-C. */
class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rate: { type: "string", default: "2000" },
      minutes: { type: "string", default: "30" },
      warmup: { type: "string", default: "120" },
      clients: { type: "string", default: "20" },
      out: { type: "string" },
      "heap-snapshots": { type: "boolean", default: false },
    },
  });
  const rate = positive("rate", values.rate, false);
  const minutes = positive("minutes", values.minutes, false);
  const warmupS = positive("warmup", values.warmup, false, true);
  const clientCount = positive("clients", values.clients, true, true);
  const totalMs = warmupS * 1000 + minutes * 60_000;
  const outDir = path.resolve(values.out ?? path.join("bench-results", `soak-${new Date().toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}`));
  fs.mkdirSync(outDir, { recursive: true });
  const csvFile = path.join(outDir, "soak.csv");
  const clientCsvFile = path.join(outDir, "client-lag.csv");
  const chartBase = path.join(outDir, "soak");

  // The soak measures the whole pipeline: the processor runs, whatever STACK_PROCESSOR says.
  const config = stackConfig({ profile: "soak" }, { ...process.env, STACK_PROCESSOR: "on" });
  const abort = new AbortController();
  let interrupted = false;
  let stackStartedHere = false;
  let server: AppServer | undefined;
  let browser: Browser | undefined;
  let workload: Promise<WorkloadProgress> | undefined;
  const clients: ClientLag[] = [];
  const checkInterrupted = () => {
    if (interrupted) throw new Interrupted();
  };

  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      abort.abort();
      const step = async (what: string, action: () => Promise<unknown>) => {
        try {
          await action();
        } catch (error) {
          console.error(`  cleanup: ${what}: ${(error as Error).message}`);
        }
      };
      await step("workload", async () => workload);
      for (const client of clients) client.socket.disconnect();
      await step("browser", async () => browser?.close());
      await step("server", async () => server?.stop());
      if (stackStartedHere) {
        console.log(`stopping the soak stack this run started (${config.dir})`);
        await step("stack", () => down(config, () => undefined));
      }
    })());
  // Ctrl-C reaches this process more than once (from the terminal and relayed by npm and tsx): the
  // first stops the run, later ones are only acknowledged, so the clean-up runs exactly once.
  process.on("SIGINT", () => {
    if (interrupted) return;
    interrupted = true;
    abort.abort();
    console.log("\ninterrupted: stopping the run once the current step ends, then cleaning up");
  });

  try {
    ensureProductionBuild();
    checkInterrupted();
    stackStartedHere = !(await inspect(config)).healthy;
    if (stackStartedHere) {
      console.log(`starting the soak stack in ${config.dir} …`);
      await up(config, (line) => console.log(line));
    }
    checkInterrupted();
    const health = await inspect(config);
    if (!health.services.some((s) => s.name === "processor" && s.alive)) {
      throw new Error(`the soak stack in ${config.dir} runs without its processor: stop it (npx tsx stack/cli.ts down --profile soak) and run again`);
    }
    const env = stackEnv(config);
    // The soak stack requires sign-in like a real deployment: the clients and the scrapes send a
    // viewer's API token, the browser signs in as the viewer.
    const credentials = stackUsesAuth(config) ? readStackCredentials(config) : null;
    if (stackUsesAuth(config) && !credentials) throw new Error(`no credentials in ${config.dir} (stack:up makes them)`);
    const authHeaders: Record<string, string> = credentials ? { authorization: `Bearer ${credentials.tokens.viewer}` } : {};

    // Heap snapshots (for finding what grows; compare them with bench/heap-diff.ts): the server
    // writes one to the results on SIGUSR2. Each pauses the server for seconds, so a run with
    // them measures the heap, not the loop delay or the clients' lag.
    const nodeArgs = values["heap-snapshots"] ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${outDir}`] : [];
    server = await startServer({ envFile: config.envFile, port: config.ports.app, logFile: path.join(config.dir, "logs", "soak-server.log"), nodeArgs });
    checkInterrupted();
    const serverUrl = server.url;

    for (let i = 0; i < clientCount; i++) {
      const socket: Client = io(serverUrl, { path: SOCKET_PATH, transports: ["websocket"], extraHeaders: authHeaders, timeout: CLIENT_CONNECT_TIMEOUT_MS });
      const client: ClientLag = { socket, tailMaxMs: 0, snapshotMaxMs: 0, readMaxMs: 0, deliveryMaxMs: 0, batches: 0, newestRecordAt: 0, disconnects: 0, requestErrors: 0, worstMs: 0 };
      clients.push(client);
      // Every connection, first or after a reconnect, subscribes to the live tail again.
      socket.on("connect", () => socket.emit("tail:subscribe"));
      socket.on("disconnect", () => (client.disconnects += 1));
      socket.on("request:error", () => (client.requestErrors += 1));
      socket.on("tail:batch", (batch) => {
        const now = Date.now();
        client.batches += 1;
        let newest: TailRecordSummary | undefined;
        for (const record of batch.records) if (!newest || record.timestamp > newest.timestamp) newest = record;
        if (!newest) return;
        client.newestRecordAt = Math.max(client.newestRecordAt, newest.timestamp);
        client.tailMaxMs = Math.max(client.tailMaxMs, now - newest.timestamp);
        client.readMaxMs = Math.max(client.readMaxMs, newest.receivedAt - newest.timestamp);
        client.deliveryMaxMs = Math.max(client.deliveryMaxMs, now - newest.receivedAt);
      });
      socket.on("metrics:snapshot", ({ snapshot }) => {
        client.snapshotMaxMs = Math.max(client.snapshotMaxMs, Date.now() - snapshot.at);
      });
    }
    await Promise.all(
      clients.map(
        ({ socket }, i) =>
          new Promise<void>((resolve, reject) => {
            if (socket.connected) return resolve();
            const timer = setTimeout(() => reject(new Error(`socket client ${i + 1} did not connect within ${CLIENT_CONNECT_TIMEOUT_MS / 1000} s`)), CLIENT_CONNECT_TIMEOUT_MS);
            socket.once("connect", () => {
              clearTimeout(timer);
              resolve();
            });
            socket.once("connect_error", (error) => {
              clearTimeout(timer);
              reject(new Error(`socket client ${i + 1} was refused: ${error.message}`));
            });
          }),
      ),
    );
    checkInterrupted();

    // Playwright's own Ctrl-C handling would close the browser under the run; the clean-up closes it.
    browser = await chromium.launch({ ...CHROMIUM_LAUNCH_OPTIONS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    const page: Page = await browser.newPage({ viewport: VIEWPORT });
    let pageErrors = 0;
    page.on("pageerror", () => (pageErrors += 1));
    if (credentials) {
      const { username, password } = credentials.users.viewer;
      const response = await page.request.post(new URL(AUTH_API.login, serverUrl).toString(), { data: { username, password }, headers: { origin: serverUrl } });
      if (!response.ok()) throw new Error(`signing the browser in answered ${response.status()}: ${await response.text()}`);
    }
    await page.goto(`${serverUrl}/`);
    await page.getByTestId("conn-state").and(page.locator('[data-state="connected"]')).waitFor({ timeout: PAGE_CONNECT_TIMEOUT_MS });
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    checkInterrupted();

    fs.writeFileSync(csvFile, `${CSV_COLUMNS.join(",")}\n`);
    fs.writeFileSync(clientCsvFile, `${["second", ...clients.map((_, i) => `client_${i + 1}_lag_ms`)].join(",")}\n`);
    console.log(
      `server ${serverUrl} (log ${server.logFile}); ${count(rate)} events/s into ${env.OUTBOX_TABLE} for ${warmupS} s of warm-up + ${minutes} min, ` +
        `${clientCount} socket clients on the live tail, Chromium on the Overview\nresults in ${outDir}`,
    );

    let progress: WorkloadProgress = { inserted: 0, elapsedMs: 0, skipped: 0, errors: 0 };
    const started = performance.now();
    workload = runWorkload({
      databaseUrl: env.DATABASE_URL!,
      table: env.OUTBOX_TABLE!,
      rate,
      durationMs: totalMs,
      concurrency: WORKLOAD_CONCURRENCY,
      signal: abort.signal,
      onProgress: (p) => (progress = p),
    });
    const benchLoop = monitorEventLoopDelay({ resolution: BENCH_LOOP_RESOLUTION_MS });
    benchLoop.enable();

    const samples: Sample[] = [];
    let previousInserted = 0;
    let scrapeFailures = 0;
    let firstBrowserHeapMb = NaN;
    let lastScrape: Omit<Scrape, "at"> | undefined;
    for (let tick = 1; tick * SAMPLE_EVERY_MS <= totalMs && !abort.signal.aborted; tick++) {
      const wait = started + tick * SAMPLE_EVERY_MS - performance.now();
      if (wait > 0) await delay(wait, undefined, { signal: abort.signal }).catch(() => undefined);
      if (abort.signal.aborted) break;
      const second = (tick * SAMPLE_EVERY_MS) / 1000;
      const measured = second > warmupS;
      let scraped: Omit<Scrape, "at">;
      let scrapeFailed = false;
      try {
        scraped = await scrape(serverUrl, started, authHeaders, lastScrape);
        lastScrape = scraped;
      } catch (error) {
        scrapeFailed = true;
        scrapeFailures += 1;
        console.log(`  ${String(second).padStart(5)} s  scrape failed: ${(error as Error).message}`);
        scraped = { loopP99Ms: NaN, loopMaxMs: NaN, loopBuckets: [], rssMb: NaN, heapUsedMb: NaN, heapTotalMb: NaN, externalMb: NaN, topicRate: NaN, insertRate: NaN, processedRate: NaN, groupLag: NaN };
      }
      // Each client's interval closes: a client that received nothing lately is as far behind as its newest record.
      const now = Date.now();
      const lags = clients.map((client) => {
        if (client.newestRecordAt > 0) client.tailMaxMs = Math.max(client.tailMaxMs, now - client.newestRecordAt);
        return Math.max(client.tailMaxMs, client.snapshotMaxMs);
      });
      const reads = clients.map((client) => client.readMaxMs);
      const deliveries = clients.map((client) => client.deliveryMaxMs);
      const silentClients = clients.filter((client) => client.batches === 0).length;
      for (const [i, client] of clients.entries()) {
        if (measured) client.worstMs = Math.max(client.worstMs, lags[i]!);
        client.tailMaxMs = 0;
        client.snapshotMaxMs = 0;
        client.readMaxMs = 0;
        client.deliveryMaxMs = 0;
        client.batches = 0;
      }
      const browserConnected = (await page.getByTestId("conn-state").getAttribute("data-state", { timeout: PAGE_PROBE_TIMEOUT_MS }).catch(() => null)) === "connected";
      const { metrics } = await cdp.send("Performance.getMetrics").catch(() => ({ metrics: [] as { name: string; value: number }[] }));
      const browserHeapMb = (metrics.find((metric) => metric.name === "JSHeapUsedSize")?.value ?? NaN) / MB;
      if (!Number.isFinite(firstBrowserHeapMb) && measured) firstBrowserHeapMb = browserHeapMb;
      const benchLoopP99Ms = benchLoop.percentile(99) / 1e6;
      benchLoop.reset();
      const inserted = progress.inserted;
      const sample: Sample = {
        ...scraped,
        second,
        insertedRate: (inserted - previousInserted) / (SAMPLE_EVERY_MS / 1000),
        worstClientLagMs: lags.length > 0 ? Math.max(...lags) : NaN,
        worstReadMs: reads.length > 0 ? Math.max(...reads) : NaN,
        worstDeliveryMs: deliveries.length > 0 ? Math.max(...deliveries) : NaN,
        silentClients,
        browserConnected,
        browserHeapMb,
        benchLoopP99Ms,
        scrapeFailed,
      };
      previousInserted = inserted;
      samples.push(sample);
      if (values["heap-snapshots"] && HEAP_SNAPSHOT_AT.some((share) => tick === Math.max(1, Math.round((share * totalMs) / SAMPLE_EVERY_MS)))) {
        await heapSnapshot(server, outDir);
      }
      fs.appendFileSync(csvFile, `${csvRow(sample)}\n`);
      fs.appendFileSync(clientCsvFile, `${[second, ...lags.map((lag) => lag.toFixed(0))].join(",")}\n`);
      if (!scrapeFailed) {
        console.log(
          `  ${String(second).padStart(5)} s${measured ? " " : "*"} RSS ${sample.rssMb.toFixed(0)} MB (heap ${sample.heapUsedMb.toFixed(0)}/${sample.heapTotalMb.toFixed(0)}, external ${sample.externalMb.toFixed(0)})  loop delay p99 ${sample.loopP99Ms.toFixed(1)} ms (longest timer interval ${sample.loopMaxMs.toFixed(0)})  ` +
            `inserted ${count(sample.insertedRate)}/s  topic ${count(sample.topicRate)}/s  processed ${count(sample.processedRate)}/s (lag ${count(sample.groupLag)})  ` +
            `client lag ≤ ${count(sample.worstClientLagMs)} ms${silentClients ? ` (${silentClients} silent)` : ""}  browser ${browserConnected ? "live" : "NOT LIVE"}`,
        );
      }
    }
    benchLoop.disable();
    abort.abort();
    const result = await workload;
    const elapsedS = result.elapsedMs / 1000;

    // The summary: over the samples after the warm-up.
    const measured = samples.filter((s) => s.second > warmupS && !s.scrapeFailed);
    const first = measured[0];
    const last = measured.at(-1);
    const growth = first && last ? last.rssMb - first.rssMb : NaN;
    const peak = measured.length > 0 ? Math.max(...measured.map((s) => s.rssMb)) : NaN;
    const p99s = measured.map((s) => s.loopP99Ms);
    const loop = first && last ? loopDelayBetween(first, last) : null;
    const worstClient = clients.reduce((worst, client, i) => (client.worstMs > (clients[worst]?.worstMs ?? -1) ? i : worst), 0);
    const worstLag = clients[worstClient]?.worstMs ?? NaN;
    const worstAfterWarmup = (pick: (s: Sample) => number) => Math.max(0, ...samples.filter((s) => s.second > warmupS).map(pick).filter(Number.isFinite));
    const achievedRate = result.inserted / Math.max(elapsedS, 1e-9);
    const disconnects = clients.reduce((sum, client) => sum + client.disconnects, 0);
    const requestErrors = clients.reduce((sum, client) => sum + client.requestErrors, 0);
    const browserDown = samples.filter((s) => !s.browserConnected).length;
    const lastBrowserHeap = measured.at(-1)?.browserHeapMb ?? NaN;

    const missed: string[] = [];
    if (measured.length < 2) missed.push(`too few samples after the warm-up (${measured.length}): run longer than --warmup`);
    if (!(growth <= RSS_GROWTH_TARGET_MB)) missed.push(`RSS grew ${growth.toFixed(1)} MB (target ≤ ${RSS_GROWTH_TARGET_MB} MB)`);
    if (clientCount > 0 && !(worstLag <= CLIENT_LAG_TARGET_MS)) missed.push(`client ${worstClient + 1} fell ${count(worstLag)} ms behind (target ≤ ${count(CLIENT_LAG_TARGET_MS)} ms)`);
    if (result.inserted < LOAD_DELIVERED_SHARE * rate * elapsedS) missed.push(`the load was not delivered: ${count(achievedRate)} events/s of ${count(rate)} (under ${LOAD_DELIVERED_SHARE * 100} %)`);

    const chart = timeSeriesSvg({
      title: `Outbox Lens soak: ${count(rate)} events/s, ${clientCount} socket clients + 1 browser, ${minutes} min after a ${warmupS} s warm-up`,
      subtitle:
        `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · RSS growth ${growth.toFixed(1)} MB (target ≤ ${RSS_GROWTH_TARGET_MB}) · ` +
        `worst client lag ${count(worstLag)} ms (target ≤ ${count(CLIENT_LAG_TARGET_MS)}) · ${missed.length === 0 ? "targets met" : `${missed.length} target(s) missed`}${interrupted ? " · interrupted" : ""}`,
      xMax: totalMs / 1000,
      xLabel: "time since the workload started",
      spans: warmupS > 0 ? [{ from: 0, to: warmupS, label: "warm-up" }] : [],
      panels: [
        {
          label: "server memory (MB)",
          series: [
            { name: "RSS", color: "#1f5fbf", points: samples.map((s) => [s.second, s.rssMb]) },
            { name: "JS heap used", color: "#7aa7e0", dashed: true, points: samples.map((s) => [s.second, s.heapUsedMb]) },
            { name: "JS heap reserved", color: "#5c6bc0", dashed: true, points: samples.map((s) => [s.second, s.heapTotalMb]) },
          ],
          limits: first ? [{ value: first.rssMb + RSS_GROWTH_TARGET_MB, label: `first RSS after warm-up + ${RSS_GROWTH_TARGET_MB} MB`, color: "#c62828" }] : [],
        },
        {
          label: "event-loop delay p99 (ms)",
          series: [{ name: "p99 / 10 s", color: "#e07b00", points: samples.map((s) => [s.second, s.loopP99Ms]) }],
        },
        {
          label: "worst client lag (ms)",
          series: [
            { name: "worst of clients", color: "#6a3fb5", points: samples.map((s) => [s.second, s.worstClientLagMs]) },
            { name: "Kafka ts → server tail", color: "#9e9e9e", dashed: true, points: samples.map((s) => [s.second, s.worstReadMs]) },
          ],
          limits: [{ value: CLIENT_LAG_TARGET_MS, label: `target ≤ ${count(CLIENT_LAG_TARGET_MS)} ms`, color: "#c62828" }],
        },
      ],
    });
    const chartDeadline = new AbortController();
    const chartWritten = await Promise.race([
      writeChart(browser, chart, chartBase).then(() => true),
      delay(CHART_TIMEOUT_MS, false, { signal: chartDeadline.signal }).catch(() => false),
    ]).catch((error: unknown) => {
      console.error(`the chart could not be rendered: ${(error as Error).message}`);
      return false;
    });
    chartDeadline.abort();

    const fmt = (value: number, decimals = 1) => (Number.isFinite(value) ? value.toFixed(decimals) : "n/a");
    const lines = [
      `soak${interrupted ? " (interrupted)" : ""}: ${count(rate)} events/s, ${warmupS} s warm-up + ${minutes} min, ${clientCount} socket clients + 1 browser on the Overview; ${samples.length} samples (${measured.length} after the warm-up${scrapeFailures ? `, ${scrapeFailures} scrapes failed` : ""})`,
      `  events inserted        ${count(result.inserted)} in ${elapsedS.toFixed(0)} s: ${count(achievedRate)}/s (target ${count(rate)}/s); ${count(result.skipped)} skipped, ${result.errors} failed transactions${result.lastError ? ` (${result.lastError})` : ""}`,
      `  pipeline               topic median ${count(percentile(measured.map((s) => s.topicRate), 50))} records/s (an insert and the processor's write-back each), ` +
        `processed median ${count(percentile(measured.map((s) => s.processedRate), 50))}/s, processor lag median ${count(percentile(measured.map((s) => s.groupLag), 50))} records (worst ${count(Math.max(0, ...measured.map((s) => s.groupLag)))})`,
      `  server RSS             ${fmt(first?.rssMb ?? NaN, 0)} MB (first sample after the warm-up) → ${fmt(last?.rssMb ?? NaN, 0)} MB: growth ${fmt(growth)} MB (target ≤ ${RSS_GROWTH_TARGET_MB} MB), peak ${fmt(peak, 0)} MB; JS heap ${fmt(first?.heapUsedMb ?? NaN, 0)} → ${fmt(last?.heapUsedMb ?? NaN, 0)} MB`,
      `  event-loop delay p99   median ${fmt(percentile(p99s.filter(Number.isFinite), 50))} ms, worst 10-s interval ${fmt(Math.max(...p99s.filter(Number.isFinite)))} ms; longest timer interval ${fmt(Math.max(...measured.map((s) => s.loopMaxMs)), 0)} ms (delay + 10 ms)`,
      `  event-loop delay       over the whole measured run (the server's cumulative histogram): p99 ${fmt(loop?.p99Ms ?? NaN)} ms, ${fmt((loop?.withinTarget ?? NaN) * 100, 2)}% of samples ≤ 20 ms`,
      `  client lag             worst ${count(worstLag)} ms (client ${worstClient + 1}; target ≤ ${count(CLIENT_LAG_TARGET_MS)} ms); ${disconnects} disconnects, ${requestErrors} refused requests`,
      `                         hops of the newest record at worst: Kafka timestamp → the server's tail ${count(worstAfterWarmup((s) => s.worstReadMs))} ms (the same for every client), server → client ${count(worstAfterWarmup((s) => s.worstDeliveryMs))} ms`,
      `                         per client (ms): ${clients.map((client) => count(client.worstMs)).join(" ")}`,
      `  browser                ${browserDown === 0 ? "live in every sample" : `not live in ${browserDown} of ${samples.length} samples`}; ${pageErrors} page errors; JS heap ${fmt(firstBrowserHeapMb)} → ${fmt(lastBrowserHeap)} MB`,
      `  bench process          event-loop delay p99 worst ${fmt(Math.max(0, ...samples.map((s) => s.benchLoopP99Ms).filter(Number.isFinite)))} ms (how late a client may have read the clock)`,
      `  CSV                    ${csvFile} (per client: ${clientCsvFile})`,
      `  PNG                    ${chartWritten ? `${chartBase}.png (and .svg, .html)` : "not written"}`,
      `  server log             ${server.logFile}`,
      missed.length === 0 ? "targets met" : `targets missed:\n${missed.map((m) => `  - ${m}`).join("\n")}`,
    ];
    const summary = lines.join("\n");
    console.log(`\n${summary}`);
    fs.writeFileSync(path.join(outDir, "summary.txt"), `${summary}\n`);
    if (interrupted) return 130;
    return missed.length === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof Interrupted) return 130;
    throw error;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:soak: ${(error as Error).message}`);
    process.exit(1);
  },
);
