// npm run bench:messages-browser -- [--rate 5000] [--minutes 5] [--cpu-profile FILE]
// The Messages page's live tail in Debian's Chromium, the production server watching the bench
// stack's topic while kcat appends ~1 KB change events at --rate records a second for --minutes.
// Measured in the page through the Chrome DevTools Protocol, every 10 s:
//   - long tasks (PerformanceObserver "longtask"): count and the longest, over the whole run;
//   - DOM nodes (CDP Performance.getMetrics "Nodes");
//   - JS heap used after a forced garbage collection (HeapProfiler.collectGarbage).
// Targets: no long task > 50 ms, DOM nodes ≤ 2,000, heap flat after the first minute.
// --cpu-profile FILE: a CPU profile of the page's first PROFILE_SECONDS (open it in Chrome's
// DevTools), and its busiest stretches printed with the functions that took their time; with a
// build made with OUTBOX_LENS_BROWSER_SOURCE_MAPS=1 the functions have their original names.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, inspect, up } from "@/stack/lifecycle";
import { CHROMIUM_LAUNCH_OPTIONS } from "@/stack/lib/chromium";
import { ensureProductionBuild, startServer } from "@/stack/lib/app-server";
import { changeEvent } from "./lib/change-event";
import { KcatProducer } from "./lib/kcat-producer";
import { TraceMap } from "@jridgewell/trace-mapping";
import { busiestStretches, withSourceNames, type CpuProfile } from "./lib/cpu-profile";
import { watchMachineCpu } from "./lib/machine-cpu";

const SAMPLE_EVERY_MS = 10_000;
const LONG_TASK_MS = 50;
const MB = 1024 * 1024;
/** The page's first seconds, where the run's long tasks have come from: connect, history, first batches. */
const PROFILE_SECONDS = 30;
/** Finer than V8's default 1 ms, so a 50 ms task shows its parts; the profiler's own cost stays small. */
const PROFILE_SAMPLING_US = 250;

/** Cumulative seconds of the page's main thread, from CDP Performance.getMetrics. */
interface MainThread {
  script: number;
  layout: number;
  style: number;
  task: number;
}

function mainThreadSeconds(metric: (name: string) => number): MainThread {
  return { script: metric("ScriptDuration"), layout: metric("LayoutDuration"), style: metric("RecalcStyleDuration"), task: metric("TaskDuration") };
}

interface Sample {
  busy: MainThread;
  second: number;
  nodes: number;
  heapMb: number;
  longTasks: number;
  rateText: string;
}

const sourceMaps = new Map<string, TraceMap | null>();

/** The source map of a script the app served, when the build wrote one (each read once). */
function sourceMapOf(url: string): TraceMap | null {
  if (!sourceMaps.has(url)) {
    const served = /\/_next\/(static\/.+\.js)$/.exec(new URL(url, "http://x").pathname);
    const script = served && path.join(".next", served[1]!);
    // The script names its map in its last line (Turbopack's map keeps the chunk's first name).
    const mapName = script && fs.existsSync(script) ? /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(script, "utf8"))?.[1] : undefined;
    const file = mapName && path.join(path.dirname(script!), mapName);
    sourceMaps.set(url, file && fs.existsSync(file) ? new TraceMap(fs.readFileSync(file, "utf8")) : null);
  }
  return sourceMaps.get(url)!;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: "string", default: "5000" }, minutes: { type: "string", default: "5" }, "cpu-profile": { type: "string" } } });
  const rate = Number(values.rate);
  const durationMs = Number(values.minutes) * 60_000;
  ensureProductionBuild();
  const config = stackConfig({ profile: "bench" }, { ...process.env, STACK_PROCESSOR: "off" });
  const startedHere = !(await inspect(config)).healthy;
  if (startedHere) await up(config, () => undefined);
  const env = stackEnv(config);
  const server = await startServer({ envFile: path.join(config.dir, "env"), port: config.ports.app, logFile: path.join(config.dir, "logs", "bench-server.log") });
  const producer = new KcatProducer(env.KAFKA_BROKERS!, env.OUTBOX_TOPIC!);
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  const cleanup = async () => {
    await browser.close();
    await producer.close().catch(() => undefined);
    await server.stop();
    if (startedHere) await down(config, () => undefined);
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${server.url}/messages?mode=live`);
    const profileFile = values["cpu-profile"];
    if (profileFile) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: PROFILE_SAMPLING_US });
      await cdp.send("Profiler.start");
    }
    await page.getByTestId("conn-state").and(page.locator('[data-state="connected"]')).waitFor({ timeout: 30_000 });
    const machine = watchMachineCpu();
    const observedFrom = await page.evaluate((threshold) => {
      const tasks: { start: number; duration: number }[] = [];
      Object.assign(window, { benchLongTasks: tasks });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.duration > threshold) tasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: "longtask", buffered: false });
      return performance.now();
    }, LONG_TASK_MS);
    // The page's clock against ours, to place its long tasks among the machine's CPU samples.
    const pageClockOffset = Date.now() - (await page.evaluate(() => performance.now()));
    await cdp.send("Performance.enable");

    let index = 0;
    const started = Date.now();
    const producing = producer.produceAtRate({ rate, durationMs, make: () => changeEvent({ index: index++, now: Date.now() }) });
    const samples: Sample[] = [];
    const gcWindows: [number, number][] = [];
    let profiling = Boolean(profileFile);
    while (Date.now() - started < durationMs) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      if (profiling && Date.now() - started >= PROFILE_SECONDS * 1000) {
        profiling = false;
        const { profile } = (await cdp.send("Profiler.stop")) as { profile: CpuProfile };
        fs.writeFileSync(profileFile!, JSON.stringify(profile));
        console.log(`CPU profile of the first ${PROFILE_SECONDS} s: ${profileFile}; its busiest stretches:`);
        for (const stretch of busiestStretches(withSourceNames(profile, sourceMapOf))) {
          console.log(`  at ${(stretch.startMs / 1000).toFixed(2)} s, ${stretch.durationMs.toFixed(1)} ms`);
          for (const entry of stretch.top) console.log(`    ${entry.selfMs.toFixed(1).padStart(6)} ms  ${entry.name}  < ${entry.stack}`);
        }
      }
      // The bench's own forced collection runs on the page's main thread: its window is noted so a
      // long task inside it is not counted against the page.
      const gcFrom = await page.evaluate(() => performance.now());
      await cdp.send("HeapProfiler.collectGarbage");
      gcWindows.push([gcFrom, await page.evaluate(() => performance.now())]);
      const { metrics } = await cdp.send("Performance.getMetrics");
      const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? 0;
      const longTasks = await page.evaluate(() => (window as unknown as { benchLongTasks: unknown[] }).benchLongTasks.length);
      const rateText = ((await page.getByTestId("tail-rate").textContent({ timeout: 1_000 }).catch(() => null)) ?? "").replace(/\s+/g, " ").trim();
      const sample = { second: Math.round((Date.now() - started) / 1000), nodes: metric("Nodes"), heapMb: metric("JSHeapUsedSize") / MB, longTasks, rateText, busy: mainThreadSeconds(metric) };
      // The main thread's time per second of the page since the last sample, by kind: a steadier
      // measure of the page's cost than the count of rare long tasks on a shared machine.
      const previous = samples.at(-1);
      const perSecond = (kind: keyof MainThread) => (previous ? ((sample.busy[kind] - previous.busy[kind]) * 1000) / (sample.second - previous.second) : NaN);
      samples.push(sample);
      console.log(
        `${String(sample.second).padStart(4)} s  nodes ${sample.nodes}  heap ${sample.heapMb.toFixed(1)} MB  long tasks (all) ${longTasks}  main thread ms/s: script ${perSecond("script").toFixed(0)} layout ${perSecond("layout").toFixed(0)} style ${perSecond("style").toFixed(0)} all tasks ${perSecond("task").toFixed(0)}  "${rateText}"`,
      );
    }
    const produced = await producing;
    const all = await page.evaluate(() => (window as unknown as { benchLongTasks: { start: number; duration: number }[] }).benchLongTasks);
    const inForcedGc = (task: { start: number; duration: number }) => gcWindows.some(([from, to]) => task.start < to && task.start + task.duration > from);
    const counted = all.filter((task) => !inForcedGc(task));
    const tasks = counted.map((task) => task.duration);
    const gcTasks = all.filter(inForcedGc).map((task) => task.duration);
    const afterFirstMinute = samples.filter((sample) => sample.second >= 60);
    const heaps = afterFirstMinute.map((sample) => sample.heapMb);
    const firstHeap = heaps[0] ?? 0;
    const lastHeap = heaps.at(-1) ?? 0;
    console.log(`
${produced.toLocaleString("en")} records at ${rate}/s for ${values.minutes} min, /messages live tail:
  long tasks > ${LONG_TASK_MS} ms: ${tasks.length}${tasks.length ? ` (longest ${Math.max(...tasks).toFixed(0)} ms)` : ""}  (target 0), besides ${gcTasks.length} inside the bench's own forced GCs${gcTasks.length ? ` (longest ${Math.max(...gcTasks).toFixed(0)} ms)` : ""}
  DOM nodes: max ${Math.max(...samples.map((sample) => sample.nodes))}  (target ≤ 2,000)
  JS heap after GC, from 1 min: ${firstHeap.toFixed(1)} MB → ${lastHeap.toFixed(1)} MB (min ${Math.min(...heaps).toFixed(1)}, max ${Math.max(...heaps).toFixed(1)}; target flat)`);
    const rates = (kind: keyof MainThread) => samples.slice(1).map((sample, i) => ((sample.busy[kind] - samples[i]!.busy[kind]) * 1000) / (sample.second - samples[i]!.second));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    console.log(`  main thread, median ms per second: script ${median(rates("script")).toFixed(0)}, layout ${median(rates("layout")).toFixed(0)}, style ${median(rates("style")).toFixed(0)}, all tasks ${median(rates("task")).toFixed(0)}`);
    machine.stop();
    for (const task of counted) {
      const busy = machine.busyAround(pageClockOffset + task.start, pageClockOffset + task.start + task.duration);
      console.log(`  long task ${task.duration.toFixed(0)} ms at ${((task.start - observedFrom) / 1000).toFixed(2)} s after the page connected; the machine's cores were at most ${busy === null ? "?" : `${(busy * 100).toFixed(0)}%`} busy around it`);
    }
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:messages-browser: ${(error as Error).message}`);
  process.exit(1);
});
