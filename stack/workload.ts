// npm run stack:workload -- [--rate 20] [--duration 60] [--count N] [--concurrency 4] [--profile demo]
// Inserts realistic outbox events into the stack's table until stopped (Ctrl-C), for a duration, or
// for a number of events. DATABASE_URL and OUTBOX_TABLE, when set, point it at another database.
import { parseArgs } from "node:util";
import { stackConfig, stackEnv, type Profile } from "./config";
import { runWorkload } from "./workload/run";

// Report once every few seconds: enough to see the rate, not a firehose in the terminal.
const REPORT_EVERY_MS = 5_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: "string", default: "20" },
      duration: { type: "string" },
      count: { type: "string" },
      concurrency: { type: "string", default: "4" },
      profile: { type: "string", default: "demo" },
    },
  });
  const rate = Number(values.rate);
  const concurrency = Number(values.concurrency);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 100_000) throw new Error("--rate must be a number of events per second, 0 < rate ≤ 100000");
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new Error("--concurrency must be an integer from 1 to 64");
  const durationMs = values.duration === undefined ? undefined : Number(values.duration) * 1000;
  const count = values.count === undefined ? undefined : Number(values.count);
  if (durationMs !== undefined && !(durationMs > 0)) throw new Error("--duration must be a positive number of seconds");
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new Error("--count must be a positive integer");

  const env = stackEnv(stackConfig({ profile: values.profile as Profile }));
  const databaseUrl = process.env.DATABASE_URL ?? env.DATABASE_URL!;
  const table = process.env.OUTBOX_TABLE ?? env.OUTBOX_TABLE!;
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  console.log(`workload: ${rate} events/s into ${table} (${new URL(databaseUrl).host}); Ctrl-C stops`);
  let lastReport = 0;
  let lastInserted = 0;
  const result = await runWorkload({
    databaseUrl,
    table,
    rate,
    durationMs,
    count,
    concurrency,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.elapsedMs - lastReport < REPORT_EVERY_MS) return;
      const achieved = ((p.inserted - lastInserted) * 1000) / (p.elapsedMs - lastReport);
      console.log(
        `  ${p.inserted} events, ${achieved.toFixed(0)}/s${p.skipped ? `, ${p.skipped} skipped (database behind)` : ""}${
          p.errors ? `, ${p.errors} failed transactions (last: ${p.lastError})` : ""
        }`,
      );
      lastReport = p.elapsedMs;
      lastInserted = p.inserted;
    },
  });
  console.log(`workload done: ${result.inserted} events in ${(result.elapsedMs / 1000).toFixed(1)} s (${((result.inserted * 1000) / result.elapsedMs).toFixed(0)}/s)`);
  process.exitCode = result.errors > 0 && result.inserted === 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`workload: ${(error as Error).message}`);
  process.exit(1);
});
