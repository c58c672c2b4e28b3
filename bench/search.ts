// npm run bench:search -- [--records 1000000] [--rounds 2] [--viewers 5] [--cpu-profile FILE]
// The Messages page's server-side search over a CDC topic, against `kcat -C` reading the same
// range in the same run, and what it costs in memory:
//   1. scan rate of a search by event type and a payload field (the bytes are checked first, so
//      most records are never decoded) and of a free-text search (every record decoded), each
//      against kcat -C over the same records;
//   2. over-read: records fetched from Kafka per record in the range (target ≤ 1.05);
//   3. server RSS during a search of the whole range (target ≤ idle + 256 MB);
//   4. a 20 MB record opened by --viewers readers at once (preview, as the inspector opens it):
//      RSS at the peak and after, per viewer (target: a few MB per viewer).
// Topic: ~1 KB Debezium-style change events (the seed table's shape), produced with kcat.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Principal } from "@/lib/contracts/auth";
import { searchRequestSchema, type SearchRequestInput } from "@/lib/contracts/messages";
import { DEFAULT_OUTBOX_COLUMNS } from "@/lib/debezium";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient } from "@/server/kafka/client";
import { PartitionFetcher } from "@/server/kafka/partition-fetcher";
import { createTopic, deleteTopic } from "@/server/kafka/topic-admin";
import { createLogger } from "@/server/log";
import { MessageReader } from "@/server/messages/reader";
import { MessageSearches } from "@/server/messages/searches";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, inspect, up } from "@/stack/lifecycle";
import { changeEvent } from "./lib/change-event";
import { median, timeKcat } from "./lib/kcat-reader";
import { withNodeCpuProfile } from "./lib/node-cpu-profile";

const PARTITIONS = 3;
const BIG_RECORD_BYTES = 20 * 1024 * 1024;
const RSS_SAMPLE_MS = 50;
/** A 20 MB record is fetched and decoded within tens of milliseconds on loopback: sampled finer. */
const BIG_SAMPLE_MS = 1;
const MB = 1024 * 1024;
const principal: Principal = { kind: "user", name: "bench", role: "admin" };

function settle(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Samples a memory figure (RSS by default) until stopped; returns the peak. */
function rssSampler(read: () => number = () => process.memoryUsage().rss, everyMs = RSS_SAMPLE_MS): { stop: () => number } {
  let peak = read();
  const timer = setInterval(() => {
    peak = Math.max(peak, read());
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}

/** What the process holds in JS objects and buffers: RSS keeps freed pages, so a read's cost shows here. */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { records: { type: "string", default: "1000000" }, rounds: { type: "string", default: "2" }, viewers: { type: "string", default: "5" }, "cpu-profile": { type: "string" } },
  });
  const records = Number(values.records);
  const rounds = Number(values.rounds);
  const viewers = Number(values.viewers);
  if (spawnSync("kcat", ["-V"]).error) throw new Error("kcat not found (Debian: apt-get install -y kcat)");
  if (!(globalThis as { gc?: unknown }).gc) console.log("(run with NODE_OPTIONS=--expose-gc for settled RSS figures)");

  const config = stackConfig({ profile: "bench" }, { ...process.env, STACK_PROCESSOR: "off" });
  const startedHere = !(await inspect(config)).healthy;
  if (startedHere) await up(config, () => undefined);
  const brokers = stackEnv(config).KAFKA_BROKERS!;
  const logger = createLogger("bench");
  const client = createKafkaClient({ clientId: "outbox-lens-bench", brokers: brokers.split(","), logger });
  const admin = new KafkaAdminConnection(client);
  const topic = `bench.search.${randomUUID().slice(0, 8)}`;
  const bigTopic = `bench.big.${randomUUID().slice(0, 8)}`;
  const fetcher = new PartitionFetcher(createKafkaClient({ clientId: "outbox-lens-reader", brokers: brokers.split(","), logger }), logger);
  const stop = async () => {
    await fetcher.disconnect();
    await deleteTopic(admin, topic).catch(() => undefined);
    await deleteTopic(admin, bigTopic).catch(() => undefined);
    await admin.disconnect();
    if (startedHere) await down(config, () => undefined);
  };
  process.once("SIGINT", () => void stop().finally(() => process.exit(130)));
  try {
    await createTopic(admin, topic, PARTITIONS);
    const file = path.join(os.tmpdir(), `${topic}.jsonl`);
    const now = Date.now();
    const out = fs.createWriteStream(file);
    let bytes = 0;
    // One record in 10,000 is the one searched for.
    for (let i = 0; i < records; i++) {
      const rare = i % 10_000 === 4_321;
      const line = changeEvent({ index: i, now, eventType: rare ? "RareHappened" : undefined }).value;
      bytes += line.length;
      if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const produce = spawnSync("kcat", ["-P", "-b", brokers, "-t", topic, "-l", "-X", "queue.buffering.max.messages=1000000", file], { stdio: "inherit" });
    fs.rmSync(file);
    if (produce.status !== 0) throw new Error("kcat -P failed");
    console.log(`topic ${topic}: ${records.toLocaleString("en")} records, ${(bytes / records).toFixed(0)} bytes on average, ${PARTITIONS} partitions`);

    const reader = new MessageReader({ admin, fetcher, outboxTopic: topic, otherTopics: [bigTopic], decode: { columns: DEFAULT_OUTBOX_COLUMNS } });
    const searches = new MessageSearches({ reader, logger });
    const expectedRare = Math.floor((records - 4_322) / 10_000) + 1;
    const runSearch = async (request: SearchRequestInput) => {
      const started = await searches.start(searchRequestSchema.parse({ ...request, maxScanned: records, maxResults: 2_000, timeoutMs: 600_000 }), principal, []);
      const done = await searches.finished(started.searchId);
      if (done.scanned !== records) throw new Error(`the search scanned ${done.scanned} of ${records} records (${done.stopReason}: ${done.error ?? ""})`);
      return { rate: records / (done.elapsedMs / 1000), matched: done.matched, fetched: searches.fetched(started.searchId) };
    };

    // A 20 MB record, opened by several viewers at once.
    await admin.run("creating the big topic", 15_000, (a) =>
      a.createTopics({ topics: [{ topic: bigTopic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: "max.message.bytes", value: String(BIG_RECORD_BYTES + MB) }] }], waitForLeaders: true }),
    );
    const producer = client.producer({ idempotent: false });
    await producer.connect();
    await producer.send({ topic: bigTopic, messages: [{ key: "big", value: JSON.stringify({ blob: "y".repeat(BIG_RECORD_BYTES - 20) }) }] });
    await producer.disconnect();
    settle();
    const beforeBig = heldBytes();
    const bigSampler = rssSampler(heldBytes, BIG_SAMPLE_MS);
    const views = await Promise.all(Array.from({ length: viewers }, () => reader.one(bigTopic, 0, 0, false, [])));
    const bigPeak = bigSampler.stop();
    const responseBytes = views.reduce((sum, view) => sum + JSON.stringify(view).length, 0);
    settle();
    const afterBig = heldBytes();

    settle();
    const idleRss = process.memoryUsage().rss;
    let peakRss = idleRss;
    const results = { kcat: [] as number[], field: [] as number[], text: [] as number[], overRead: [] as number[] };
    for (let round = 1; round <= rounds; round++) {
      results.kcat.push(await timeKcat(brokers, topic, records));
      const sampler = rssSampler();
      const field = await runSearch({ filter: { eventType: "RareHappened", path: { path: "payload.note", match: "exists" } } });
      peakRss = Math.max(peakRss, sampler.stop());
      if (field.matched !== expectedRare) throw new Error(`the field search matched ${field.matched}, expected ${expectedRare}`);
      results.field.push(field.rate);
      results.overRead.push(field.fetched / records);
      const textSampler = rssSampler();
      const text = await withNodeCpuProfile(round === rounds ? values["cpu-profile"] : undefined, () => runSearch({ filter: { text: "needle-that-is-nowhere" } }));
      peakRss = Math.max(peakRss, textSampler.stop());
      results.text.push(text.rate);
      console.log(
        `round ${round}: kcat ${results.kcat.at(-1)!.toFixed(0)}/s, search by type+field ${field.rate.toFixed(0)}/s (${field.matched} found), ` +
          `free text ${text.rate.toFixed(0)}/s, fetched/range ${(field.fetched / records).toFixed(4)}`,
      );
    }

    const kcat = median(results.kcat);
    const field = median(results.field);
    const text = median(results.text);
    console.log(`
median of ${rounds} rounds, ${records.toLocaleString("en")} records of ~${(bytes / records / 1024).toFixed(1)} KB, ${PARTITIONS} partitions:
  kcat -C                          ${kcat.toFixed(0)} records/s
  search: event type + JSON path   ${field.toFixed(0)} records/s   ${(field / kcat).toFixed(2)} × kcat  (target ≥ 0.50)
  search: free text                ${text.toFixed(0)} records/s   ${(text / kcat).toFixed(2)} × kcat
  records fetched / records in range  ${median(results.overRead).toFixed(4)}  (target ≤ 1.05)
  RSS: idle ${(idleRss / MB).toFixed(0)} MB, peak during the scans ${(peakRss / MB).toFixed(0)} MB → +${((peakRss - idleRss) / MB).toFixed(0)} MB  (target ≤ +256 MB)
  20 MB record opened by ${viewers} viewers at once (64 KiB previews, ${(responseBytes / viewers / 1024).toFixed(0)} KB of JSON each), JS heap + buffers:
    before ${(beforeBig / MB).toFixed(0)} MB, peak ${(bigPeak / MB).toFixed(0)} MB (+${((bigPeak - beforeBig) / MB / viewers).toFixed(1)} MB per viewer while reading), after ${(afterBig / MB).toFixed(0)} MB (+${((afterBig - beforeBig) / MB / viewers).toFixed(1)} MB per viewer retained: the record is kept a minute for the next viewer)`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:search: ${(error as Error).message}`);
  process.exit(1);
});
