// npm run bench:lag -- [--partitions 1000] [--groups 20] [--seconds 60]
// What lag polling costs: the dashboard's OffsetPoller, as the server runs it (one poll a second),
// over a topic of --partitions partitions with --groups consumer groups committed on every
// partition. Its CPU time over --seconds of polling (process.cpuUsage: user + system, this
// process holds nothing else) as a share of one core. For reference, in the same run, the time
// Kafka's own `kafka-consumer-groups --describe` takes for the same groups, and the check that
// both report the same lag. After each poll, every group's health is judged as the collector
// does it (its history of the last 120 observations, filled from the first reading before the
// measurement, as two minutes of polling would have), and its share of the CPU is printed too.
// Then the same with offsets read at every poll (the budget lifted): what reading every second costs.
// Target: ≤ 5% of one core at 1,000 partitions × 20 groups. --cpu-profile FILE writes a V8 profile of the measured polls.
// npm runs it with the server's Node flags (stack/lib/server-flags.ts): a reading's rows live a
// second or two, and how much of that the garbage collector copies depends on the young generation's size.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { KafkaAdminConnection } from "@/server/kafka/admin";
import { createKafkaClient } from "@/server/kafka/client";
import { MAX_OFFSET_READS_PER_SECOND, OFFSET_POLL_INTERVAL_MS, OffsetPoller, type OffsetSnapshot } from "@/server/kafka/offsets";
import { MAX_OBSERVATIONS } from "@/server/metrics/collector";
import { ConsumerGroupHistory, evaluateConsumerGroup, type ConsumerGroupHealth } from "@/server/metrics/stage-health";
import { commitGroupOffsets, createTopic, deleteGroups, deleteTopic, topicEndOffsets } from "@/server/kafka/topic-admin";
import { createLogger } from "@/server/log";
import { stackConfig, stackEnv } from "@/stack/config";
import { describeGroupsWithKafkaTool } from "@/stack/lib/kafka-tools";
import { down, inspect, up } from "@/stack/lifecycle";
import { KcatProducer } from "./lib/kcat-producer";
import { withNodeCpuProfile } from "./lib/node-cpu-profile";

/** Records spread over the partitions so that every end offset and every lag is non-zero. */
const RECORDS_PER_PARTITION = 40;
/** Polls before measuring: the first connects and fetches metadata, which steady polling does not. */
const WARMUP_POLLS = 3;

/** Polls (one a second) measured with offsets read at every poll, the read budget lifted. */
const EVERY_SECOND_POLLS = 30;
/** How long the process's CPU is measured without polling, before the polls. */
const IDLE_MEASURE_MS = 10_000;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { partitions: { type: "string", default: "1000" }, groups: { type: "string", default: "20" }, seconds: { type: "string", default: "60" }, "cpu-profile": { type: "string" } } });
  const partitions = Number(values.partitions);
  const groupCount = Number(values.groups);
  const seconds = Number(values.seconds);

  const config = stackConfig({ profile: "bench" }, { ...process.env, STACK_PROCESSOR: "off" });
  const startedHere = !(await inspect(config)).healthy;
  if (startedHere) await up(config, () => undefined);
  const brokers = stackEnv(config).KAFKA_BROKERS!.split(",");
  const logger = createLogger("bench");
  const client = createKafkaClient({ clientId: "outbox-lens-bench", brokers, logger });
  const admin = new KafkaAdminConnection(client);
  const run = randomUUID().slice(0, 8);
  const topic = `bench.lag.${run}`;
  const groups = Array.from({ length: groupCount }, (_, i) => `bench.lag.${run}.group-${i}`);
  const cleanup = async () => {
    await deleteGroups(admin, groups).catch(() => undefined);
    await deleteTopic(admin, topic).catch(() => undefined);
    await admin.disconnect();
    if (startedHere) await down(config, () => undefined);
  };

  try {
    await createTopic(admin, topic, partitions);
    const producer = new KcatProducer(brokers.join(","), topic);
    for (let i = 0; i < partitions * RECORDS_PER_PARTITION; i++) await producer.send(`k${i}`, `{"i":${i}}`);
    await producer.close();
    const ends = await topicEndOffsets(admin, topic);
    // Each group somewhere between the start and the end of each partition.
    for (const group of groups) {
      await commitGroupOffsets(admin, group, topic, new Map([...ends].map(([partition, end]) => [partition, Math.floor(Math.random() * end)])));
    }
    console.log(`topic ${topic}: ${partitions} partitions, ${partitions * RECORDS_PER_PARTITION} records; ${groupCount} groups committed on every partition`);

    const poller = new OffsetPoller({ admin, topic, groups, logger });
    for (let i = 0; i < WARMUP_POLLS; i++) await poller.poll();

    // The collector's per-group health work, on histories as full as after two minutes.
    const histories = new Map(groups.map((group) => [group, new ConsumerGroupHistory(MAX_OBSERVATIONS)]));
    const health = new Map<string, ConsumerGroupHealth | null>();
    const judge = (snapshot: OffsetSnapshot, at: number) => {
      for (const group of snapshot.groups) {
        const history = histories.get(group.groupId)!;
        // As if each group had a member: the bench's groups have none, and a group without members
        // is STOP at once, without the per-partition rules whose cost this measures.
        history.push({ at, error: snapshot.error, state: "Stable", memberCount: Math.max(1, group.members.length), partitions: group.partitions });
        health.set(group.groupId, evaluateConsumerGroup(history, health.get(group.groupId) ?? null, at));
      }
    };
    const warm = poller.latest!;
    for (let i = MAX_OBSERVATIONS - 1; i > 0; i--) judge(warm, Date.now() - i * OFFSET_POLL_INTERVAL_MS);

    // What the process costs when it does not poll (its connections, timers, the garbage
    // collector's background work on what it holds): the part of the CPU below that polling is not.
    const idleBefore = process.cpuUsage();
    const idleStarted = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MEASURE_MS));
    const idle = process.cpuUsage(idleBefore);
    const idleShare = (idle.user + idle.system) / 1000 / (performance.now() - idleStarted);

    // Polls a second for `polls` seconds; the CPU of the process meanwhile, and of the health verdicts.
    const measure = async (measured: OffsetPoller, polls: number) => {
      const pollMs: number[] = [];
      let healthCpuMs = 0;
      let judgedReading: number | null = null;
      const readAt = new Set<number>();
      // The CPU of each second apart too: the machine's neighbours slow single seconds down, and
      // the median second says what a reading costs when they do not.
      const secondCpuMs: number[] = [];
      const cpuBefore = process.cpuUsage();
      let secondBefore = cpuBefore;
      const started = performance.now();
      for (let i = 0; i < polls; i++) {
        const tick = performance.now();
        const snapshot = await measured.poll();
        if (snapshot.stale) throw new Error(`a poll failed: ${snapshot.error}`);
        // A poll that read offsets (the others return the last reading within the read budget).
        if (!readAt.has(snapshot.polledAt!)) {
          readAt.add(snapshot.polledAt!);
          pollMs.push(performance.now() - tick);
        }
        // As the collector does: a group is judged once per reading.
        if (snapshot.polledAt !== judgedReading) {
          judgedReading = snapshot.polledAt;
          const judgeCpu = process.cpuUsage();
          judge(snapshot, Date.now());
          const judged = process.cpuUsage(judgeCpu);
          healthCpuMs += (judged.user + judged.system) / 1000;
        }
        const next = started + (i + 1) * OFFSET_POLL_INTERVAL_MS;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
        const second = process.cpuUsage();
        secondCpuMs.push((second.user + second.system - secondBefore.user - secondBefore.system) / 1000);
        secondBefore = second;
      }
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const medianSecondMs = [...secondCpuMs].sort((a, b) => a - b)[Math.floor(secondCpuMs.length / 2)]!;
      return { pollMs, readAt, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000, healthCpuMs, medianSecondMs };
    };

    // --cpu-profile FILE: a V8 CPU profile of the measured polls only (as the server makes them).
    const { pollMs, readAt, wallMs, cpuMs, systemMs, healthCpuMs } = await withNodeCpuProfile(values["cpu-profile"], () => measure(poller, seconds));
    // The same with offsets read at every poll, whatever the budget: what a read a second costs.
    const everySecond = await measure(new OffsetPoller({ admin, topic, groups, logger, maxOffsetReadsPerSecond: Number.POSITIVE_INFINITY }), EVERY_SECOND_POLLS);
    const everySecondCpu = everySecond.cpuMs - idleShare * everySecond.wallMs;

    const snapshot = poller.latest!;
    const polledLag = new Map(snapshot.groups.map((group) => [group.groupId, group.totalLag]));
    const toolStarted = performance.now();
    const rows = await describeGroupsWithKafkaTool(config.dir, brokers, groups.flatMap((group) => ["--group", group]));
    const toolMs = performance.now() - toolStarted;
    const toolLag = new Map<string, number>();
    for (const row of rows) toolLag.set(row.group, (toolLag.get(row.group) ?? 0) + (row.lag ?? 0));
    const mismatches = groups.filter((group) => polledLag.get(group) !== toolLag.get(group));
    const sortedPolls = [...pollMs].sort((a, b) => a - b);

    console.log(`
${seconds} polls, one a second as the server makes them, of ${partitions} partitions × ${groupCount} groups (${partitions * groupCount} committed offsets a read):
  offsets read       ${readAt.size} times, every ${(snapshot.topic.offsetsReadEveryMs / 1000).toFixed(1)} s (the poller's budget: ${MAX_OFFSET_READS_PER_SECOND} partition offsets a second)
  CPU                ${cpuMs.toFixed(0)} ms over ${(wallMs / 1000).toFixed(1)} s = ${((cpuMs / wallMs) * 100).toFixed(2)}% of one core  (target ≤ 5%; in the kernel: ${systemMs.toFixed(0)} ms)
  of which health   ${healthCpuMs.toFixed(0)} ms = ${((healthCpuMs / wallMs) * 100).toFixed(2)}% of one core (${groupCount} groups judged at each read; statuses: ${[...new Set([...health.values()].map((h) => h?.overall.status))].join(", ")})
  idle, no polls     ${(idleShare * 100).toFixed(2)}% of one core over ${IDLE_MEASURE_MS / 1000} s before the polls
  read every second  ${everySecond.readAt.size} reads in ${(everySecond.wallMs / 1000).toFixed(1)} s (no budget): ${((everySecond.cpuMs / everySecond.wallMs) * 100).toFixed(2)}% of one core, ${((everySecondCpu / everySecond.wallMs) * 100).toFixed(2)}% with the idle share taken out, median second ${(everySecond.medianSecondMs / 10 - idleShare * 100).toFixed(2)}% (idle out); health ${((everySecond.healthCpuMs / everySecond.wallMs) * 100).toFixed(2)}%  (target ≤ 5%)
  one read           median ${sortedPolls[Math.floor(sortedPolls.length / 2)]!.toFixed(0)} ms, max ${sortedPolls.at(-1)!.toFixed(0)} ms (wall, mostly waiting on the broker)
  kafka-consumer-groups --describe of the same ${groupCount} groups: ${(toolMs / 1000).toFixed(1)} s wall (JVM start included), ${rows.length} rows
  total lag per group equal to the tool's: ${mismatches.length === 0 ? `yes, all ${groupCount}` : `NO for ${mismatches.join(", ")}`}`);
    if (mismatches.length > 0) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:lag: ${(error as Error).message}`);
  process.exit(1);
});
