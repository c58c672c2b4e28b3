// npm run bench:tail -- [--records 300000] [--rounds 3]
// How fast the dashboard's live tail ingests a CDC topic, with decoding and every metric sink
// attached (catching up, the tail decodes a sample and counts every record from its bytes),
// against three baselines measured in each round on the same topic:
//   kcat -C (librdkafka, the usual command-line reader; Debian package kcat);
//   a bare KafkaJS consumer that does nothing with the records (server/kafka/drain.ts), KafkaJS
//   as published, in a process of its own (bench/lib/stock-kafkajs-drain.ts);
//   the same bare consumer in this process, with the record-batch decoder Outbox Lens installs
//   in KafkaJS (server/kafka/fast-record-decoder.ts): the tail's own work measured alone.
// The topic holds ~1 KB Debezium-style change events (the seed table's shape), produced with kcat.
// Targets: tail ≥ 0.5 × kcat and ≥ 0.85 × bare KafkaJS. --cpu-profile FILE writes a V8 profile of the last round's tail.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_OUTBOX_COLUMNS } from "@/lib/debezium";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient } from "@/server/kafka/client";
import { drainTopic } from "@/server/kafka/drain";
import { TopicTail } from "@/server/kafka/tail";
import { createTopic, deleteTopic } from "@/server/kafka/topic-admin";
import { createLogger } from "@/server/log";
import { LatencyRecorder } from "@/server/metrics/latency";
import { PipelineLatencySink } from "@/server/metrics/latency-sink";
import { stackConfig, stackEnv } from "@/stack/config";
import { down, inspect, up } from "@/stack/lifecycle";
import { changeEvent } from "./lib/change-event";
import { median, timeKcat } from "./lib/kcat-reader";
import { runStockKafkaJSDrain } from "./lib/stock-kafkajs";
import { withNodeCpuProfile } from "./lib/node-cpu-profile";

const PARTITIONS = 3;
const TIMEOUT_MS = 300_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { records: { type: "string", default: "300000" }, rounds: { type: "string", default: "3" }, "cpu-profile": { type: "string" } } });
  const records = Number(values.records);
  const rounds = Number(values.rounds);
  if (spawnSync("kcat", ["-V"]).error) throw new Error("kcat not found (Debian: apt-get install -y kcat)");

  const config = stackConfig({ profile: "bench" }, { ...process.env, STACK_PROCESSOR: "off" });
  const startedHere = !(await inspect(config)).healthy;
  if (startedHere) await up(config, () => undefined);
  const brokers = stackEnv(config).KAFKA_BROKERS!;
  const logger = createLogger("bench");
  const client = createKafkaClient({ clientId: "outbox-lens-bench", brokers: brokers.split(","), logger });
  const admin = new KafkaAdminConnection(client);
  const topic = `bench.tail.${randomUUID().slice(0, 8)}`;
  const stop = async () => {
    await deleteTopic(admin, topic).catch(() => undefined);
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
    for (let i = 0; i < records; i++) {
      const line = changeEvent({ index: i, now }).value;
      bytes += line.length;
      if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve) => out.end(() => resolve()));
    const produce = spawnSync("kcat", ["-P", "-b", brokers, "-t", topic, "-l", "-X", "queue.buffering.max.messages=1000000", file], { stdio: "inherit" });
    fs.rmSync(file);
    if (produce.status !== 0) throw new Error("kcat -P failed");
    console.log(`topic ${topic}: ${records} records, ${(bytes / records).toFixed(0)} bytes on average, ${PARTITIONS} partitions`);

    const results = { kcat: [] as number[], stock: [] as number[], kafkajs: [] as number[], tail: [] as number[] };
    for (let round = 1; round <= rounds; round++) {
      results.kcat.push(await timeKcat(brokers, topic, records));
      const stock = await runStockKafkaJSDrain(brokers, topic, records, TIMEOUT_MS);
      results.stock.push(stock.records / (stock.elapsedMs / 1000));
      const bare = await drainTopic(client, topic, records, TIMEOUT_MS);
      results.kafkajs.push(bare.records / (bare.elapsedMs / 1000));
      // --cpu-profile FILE: a V8 CPU profile of the last round's tail.
      const tail = await withNodeCpuProfile(round === rounds ? values["cpu-profile"] : undefined, () => timeTail(client, admin, topic, records, logger));
      results.tail.push(tail.recordsPerSec);
      console.log(
        `round ${round}: kcat ${results.kcat.at(-1)!.toFixed(0)}/s, bare KafkaJS ${results.stock.at(-1)!.toFixed(0)}/s, with our decoder ${results.kafkajs.at(-1)!.toFixed(0)}/s, tail ${tail.recordsPerSec.toFixed(0)}/s` +
          ` (decoded ${tail.decoded}, 1 in ${tail.decodeEvery} at the end)`,
      );
    }
    const kcat = median(results.kcat);
    const stock = median(results.stock);
    const kafkajs = median(results.kafkajs);
    const tail = median(results.tail);
    // Each round's ratios too: the machine's speed drifts between rounds, its neighbours' load with it.
    const ratios = (baseline: number[]) => results.tail.map((value, i) => (value / baseline[i]!).toFixed(2)).join(", ");
    console.log(`
median of ${rounds} rounds, ${records} records of ~${(bytes / records / 1024).toFixed(1)} KB:
  kcat -C                                  ${kcat.toFixed(0)} records/s
  bare KafkaJS (as published)              ${stock.toFixed(0)} records/s
  bare KafkaJS with Outbox Lens's decoder  ${kafkajs.toFixed(0)} records/s
  tail (scan all, decode a sample + metrics sinks)  ${tail.toFixed(0)} records/s
  tail / kcat                    ${(tail / kcat).toFixed(2)}  (target ≥ 0.50; rounds: ${ratios(results.kcat)})
  tail / bare KafkaJS            ${(tail / stock).toFixed(2)}  (target ≥ 0.85; rounds: ${ratios(results.stock)})
  tail / KafkaJS with our decoder  ${(tail / kafkajs).toFixed(2)}  (rounds: ${ratios(results.kafkajs)})`);
  } finally {
    await stop();
  }
}

/**
 * How often the tail's progress is looked at. Sinks see only the records the tail decodes (a
 * sample while it catches up), so completion is read from its exact count instead; 2 ms is below
 * a thousandth of a round.
 */
const PROGRESS_POLL_MS = 2;

interface TailRound {
  recordsPerSec: number;
  /** Records the tail decoded (and handed to the sink), and its sampling at the end. */
  decoded: number;
  decodeEvery: number;
}

/** The live tail as the server runs it (decoder and the latency sink attached), from the beginning of the topic. */
async function timeTail(client: ReturnType<typeof createKafkaClient>, admin: KafkaAdminConnection, topic: string, records: number, logger: ReturnType<typeof createLogger>): Promise<TailRound> {
  const tail = new TopicTail({ client, admin, topics: [topic], lookbackMs: 24 * 60 * 60 * 1000, decode: { columns: DEFAULT_OUTBOX_COLUMNS }, logger });
  const sink = new PipelineLatencySink(new LatencyRecorder(), { pendingStatus: "pending", processedStatus: "processed", failedStatus: "failed", columns: DEFAULT_OUTBOX_COLUMNS });
  tail.onRecord((record, meta) => sink.accept(record, meta.receivedAt));
  let first = 0;
  let last = 0;
  let poll: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the tail read only ${tail.stats().records} of ${records} records`)), TIMEOUT_MS);
    poll = setInterval(() => {
      const read = tail.recordsRead; // not stats(), which builds every partition's figures: polled every 2 ms it would slow what it measures
      if (read > 0 && first === 0) first = performance.now();
      if (read >= records) {
        last = performance.now();
        resolve();
      }
    }, PROGRESS_POLL_MS);
  });
  await tail.start();
  try {
    await done;
  } finally {
    clearInterval(poll);
    clearTimeout(timer);
    await tail.stop();
  }
  const { decoded, decodeEvery } = tail.stats();
  return { recordsPerSec: records / ((last - first) / 1000), decoded, decodeEvery };
}

main().catch((error: unknown) => {
  console.error(`bench:tail: ${(error as Error).message}`);
  process.exit(1);
});
