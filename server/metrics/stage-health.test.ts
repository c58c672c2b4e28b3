import { describe, expect, it } from "vitest";
import { stageHealthSchema, type StageHealth } from "@/lib/contracts/metrics";
import { formatDuration } from "@/lib/format/duration";
import {
  ConsumerGroupHistory,
  DEFAULT_HEALTH_THRESHOLDS,
  combineHealth,
  evaluateCapture,
  evaluateConsumerGroup,
  evaluateOutbox,
  evaluateTopic,
  grewAcross,
  transition,
  type CaptureObservation,
  type ClusterObservation,
  type ConsumerGroupHealth,
  type ConsumerGroupObservation,
  type OutboxObservation,
  type TopicObservation,
} from "./stage-health";
import { seededRandom } from "./test-random";

const T0 = 1_700_000_000_000;
const TOPIC = "postgres.activity.event_outbox";
const seconds = (n: number) => T0 + n * 1_000;

/** One observation a second from T0 for `count` seconds. */
function everySecond<T>(count: number, make: (second: number) => T): T[] {
  return Array.from({ length: count }, (_, s) => make(s));
}

describe("transition", () => {
  it("keeps since while the status is unchanged and restarts it on a change", () => {
    const first = transition(null, "OK", "lag 0", seconds(0));
    expect(first.since).toBe(seconds(0));
    const same = transition(first, "OK", "lag 3", seconds(5));
    expect(same).toEqual({ status: "OK", rule: "lag 3", since: seconds(0) });
    const changed = transition(same, "WARN", "lag grew", seconds(9));
    expect(changed.since).toBe(seconds(9));
    expect(stageHealthSchema.safeParse(changed).success).toBe(true);
  });
});

describe("grewAcross", () => {
  const points = (values: number[]) => values.map((value, s) => ({ at: seconds(s), value }));

  it("needs history reaching back over the whole span", () => {
    expect(grewAcross(points([1, 2, 3, 4, 5]), 10_000)).toBeNull();
    expect(grewAcross(points([1, 2, 3, 4, 5]), 4_000)).toEqual({ from: 1, to: 5, spanMs: 4_000 });
  });

  it("sees growth through a sawtooth, and no growth in a sawtooth that only oscillates", () => {
    const growing = Array.from({ length: 61 }, (_, s) => 100 + s * 10 + (s % 5) * 15);
    expect(grewAcross(points(growing), 60_000)).toMatchObject({ from: 100, to: 700 });
    const oscillating = Array.from({ length: 61 }, (_, s) => 100 + (s % 5) * 40);
    expect(grewAcross(points(oscillating), 60_000)).toBeNull();
  });

  it("is not fooled by a single late spike", () => {
    const values = Array.from({ length: 61 }, () => 50);
    values[60] = 5_000;
    expect(grewAcross(points(values), 60_000)).toBeNull();
  });
});

describe("combineHealth", () => {
  it("reports the worst part with its name, counting others in the same status, and UNKNOWN without parts", () => {
    const ok: StageHealth = { status: "OK", rule: "lag 0", since: seconds(0) };
    const stall: StageHealth = { status: "STALL", rule: "stuck", since: seconds(3) };
    const combined = combineHealth(null, [{ name: "a", health: ok }, { name: "b", health: stall }, { name: "c", health: stall }], seconds(10));
    expect(combined).toEqual({ status: "STALL", rule: "b: stuck; 1 more group alike", since: seconds(10) });
    expect(combineHealth(null, [], seconds(10)).status).toBe("UNKNOWN");
    expect(combineHealth(null, [{ name: "a", health: ok }, { name: "u", health: { ...ok, status: "UNKNOWN" } }], seconds(10)).status).toBe("OK");
  });
});

// ---------------------------------------------------------------------------------------------

function group(at: number, partitions: Array<{ committed: number | null; lag: number; partition?: number }>, extra: Partial<ConsumerGroupObservation> = {}): ConsumerGroupObservation {
  return {
    at,
    error: null,
    state: "Stable",
    memberCount: 1,
    partitions: partitions.map((p, i) => ({
      topic: TOPIC,
      partition: p.partition ?? i,
      committedOffset: p.committed === null ? null : String(p.committed),
      lag: p.lag,
    })),
    ...extra,
  };
}

/** Evaluates a whole history one observation at a time, as the server does, threading `previous`. */
function replayGroup(history: ConsumerGroupObservation[]): ConsumerGroupHealth {
  let health: ConsumerGroupHealth | null = null;
  for (let i = 0; i < history.length; i++) health = evaluateConsumerGroup(history.slice(0, i + 1), health, history[i]!.at);
  return health!;
}

describe("evaluateConsumerGroup", () => {
  it("is UNKNOWN without observations, while collecting the first ones, and when they stop coming", () => {
    expect(evaluateConsumerGroup([], null, seconds(0)).overall.status).toBe("UNKNOWN");
    const young = everySecond(5, (s) => group(seconds(s), [{ committed: 100 + s, lag: 50 }]));
    const collecting = evaluateConsumerGroup(young, null, seconds(4));
    expect(collecting.overall).toMatchObject({ status: "UNKNOWN", rule: "collecting observations (4 s of 10 s)" });
    const history = everySecond(20, (s) => group(seconds(s), [{ committed: 100 + s, lag: 0 }]));
    expect(evaluateConsumerGroup(history, null, seconds(19)).overall.status).toBe("OK");
    expect(evaluateConsumerGroup(history, null, seconds(19 + 16)).overall).toMatchObject({ status: "UNKNOWN", rule: "no observation for 16 s" });
  });

  it("is STOP at once when Kafka is unreachable", () => {
    const health = evaluateConsumerGroup([group(seconds(0), [{ committed: 5, lag: 3 }], { error: "connect ECONNREFUSED 127.0.0.1:19092" })], null, seconds(0));
    expect(health.overall).toEqual({ status: "STOP", rule: "Kafka unreachable: connect ECONNREFUSED 127.0.0.1:19092", since: seconds(0) });
  });

  it("is STOP when the group has no members while it has lag, and not when nothing is left to consume", () => {
    const empty = evaluateConsumerGroup([group(seconds(0), [{ committed: 5, lag: 1_234 }], { state: "Empty", memberCount: 0 })], null, seconds(0));
    expect(empty.overall).toMatchObject({ status: "STOP", rule: "group has no members (state Empty) while lag is 1,234" });
    const idle = everySecond(15, (s) => group(seconds(s), [{ committed: 5, lag: 0 }], { state: "Empty", memberCount: 0 }));
    expect(evaluateConsumerGroup(idle, null, seconds(14)).overall).toMatchObject({ status: "OK", rule: "partition 0 of postgres.activity.event_outbox: caught up (lag 0)" });
    const dead = evaluateConsumerGroup([group(seconds(0), [], { state: "Dead", memberCount: 0 })], null, seconds(0));
    expect(dead.overall.status).toBe("STOP");
  });

  it("is OK when lag was zero at some point in the window, however large it is now (rule 1)", () => {
    const history = everySecond(61, (s) => group(seconds(s), [{ committed: 1_000, lag: s === 10 ? 0 : 480 }]));
    const health = evaluateConsumerGroup(history, null, seconds(60));
    expect(health.overall).toMatchObject({ status: "OK", rule: `partition 0 of ${TOPIC}: lag 480, caught up within the last 1 min` });
  });

  it("is STALL once the committed offset has not moved for 60 s while there is lag, and not a second earlier", () => {
    const history = everySecond(62, (s) => group(seconds(s), [{ committed: s < 1 ? 900 : 1_000, lag: 480 }]));
    const before = evaluateConsumerGroup(history.slice(0, 61), null, seconds(60));
    expect(before.overall).toMatchObject({ status: "OK", rule: `partition 0 of ${TOPIC}: lag 480, committed offsets advancing and lag not growing` });
    const stalled = evaluateConsumerGroup(history, null, seconds(61));
    expect(stalled.overall).toMatchObject({
      status: "STALL",
      rule: `partition 0 of ${TOPIC}: committed offset stuck at 1,000 for 1 min while lag is 480`,
    });
  });

  it("names a partition that never committed as having no committed offset", () => {
    const history = everySecond(70, (s) => group(seconds(s), [{ committed: null, lag: 75 }]));
    expect(evaluateConsumerGroup(history, null, seconds(69)).overall.rule).toBe(
      `partition 0 of ${TOPIC}: no committed offset for 1 min 9 s while lag is 75`,
    );
  });

  it("is WARN when committed offsets move but lag grows across the window", () => {
    // The consumer commits every 5 s and falls further behind each time.
    const history = everySecond(61, (s) => {
      const committed = 1_000 + Math.floor(s / 5) * 50;
      const end = 1_120 + s * 20;
      return group(seconds(s), [{ committed, lag: end - committed }]);
    });
    const health = evaluateConsumerGroup(history, null, seconds(60));
    expect(health.overall).toMatchObject({
      status: "WARN",
      rule: `partition 0 of ${TOPIC}: lag grew from 120 to 720 over 1 min while committed offsets advanced`,
    });
  });

  it("is OK when committed offsets move and lag goes up and down with the commits", () => {
    const history = everySecond(61, (s) => {
      const committed = 1_000 + Math.floor(s / 5) * 100;
      const end = 1_100 + s * 20;
      return group(seconds(s), [{ committed, lag: end - committed }]);
    });
    expect(evaluateConsumerGroup(history, null, seconds(60)).overall.status).toBe("OK");
  });

  it("judges each partition and reports the worst", () => {
    const history = everySecond(80, (s) =>
      group(seconds(s), [
        { partition: 0, committed: 500 + s, lag: s % 7 === 0 ? 0 : 2 },
        { partition: 1, committed: 777, lag: 40 },
      ]),
    );
    const health = replayGroup(history);
    expect(health.overall).toMatchObject({ status: "STALL", since: seconds(60), rule: `partition 1 of ${TOPIC}: committed offset stuck at 777 for 1 min 19 s while lag is 40` });
  });

  it("goes back to OK, with a new since, when the stalled consumer catches up", () => {
    const stalled = everySecond(70, (s) => group(seconds(s), [{ committed: 777, lag: 40 }]));
    const recovered = [...stalled, group(seconds(70), [{ committed: 817, lag: 0 }])];
    const before = replayGroup(stalled);
    expect(before.overall.status).toBe("STALL");
    const after = evaluateConsumerGroup(recovered, before, seconds(70));
    expect(after.overall).toMatchObject({ status: "OK", since: seconds(70) });
  });

  it("treats lag up to allowedLag as caught up", () => {
    const history = everySecond(90, (s) => group(seconds(s), [{ committed: 300, lag: 1 }]));
    expect(evaluateConsumerGroup(history, null, seconds(89)).overall.status).toBe("STALL");
    expect(evaluateConsumerGroup(history, null, seconds(89), { allowedLag: 1 }).overall.status).toBe("OK");
  });
});

// ---------------------------------------------------------------------------------------------

function outbox(at: number, pending: number, extra: Partial<OutboxObservation> = {}): OutboxObservation {
  return { at, error: null, pending, oldestPendingAgeMs: pending > 0 ? 400 : null, failedRate: 0, ...extra };
}

describe("evaluateOutbox", () => {
  it("is STOP at once when PostgreSQL does not answer", () => {
    const health = evaluateOutbox([outbox(seconds(0), 3, { error: "connect ECONNREFUSED 127.0.0.1:15433" })], null, seconds(0));
    expect(health).toEqual({ status: "STOP", rule: "PostgreSQL did not answer: connect ECONNREFUSED 127.0.0.1:15433", since: seconds(0) });
  });

  it("is UNKNOWN while collecting and when the poller stops", () => {
    expect(evaluateOutbox([outbox(seconds(0), 3)], null, seconds(0)).status).toBe("UNKNOWN");
    const history = everySecond(20, (s) => outbox(seconds(s), 3));
    expect(evaluateOutbox(history, null, seconds(19)).status).toBe("OK");
    expect(evaluateOutbox(history, null, seconds(60)).status).toBe("UNKNOWN");
  });

  it("is OK with a small steady backlog, saying how big and how old", () => {
    const history = everySecond(20, (s) => outbox(seconds(s), 120 + (s % 3)));
    expect(evaluateOutbox(history, null, seconds(19))).toMatchObject({ status: "OK", rule: "121 pending, oldest 400 ms" });
  });

  it("is STALL when the oldest pending row is older than the threshold and pending does not shrink", () => {
    const history = everySecond(61, (s) => outbox(seconds(s), 100 + (s % 2), { oldestPendingAgeMs: 30_000 + s * 1_000 }));
    const health = evaluateOutbox(history, null, seconds(60));
    expect(health).toMatchObject({
      status: "STALL",
      rule: "oldest pending row is 1 min 30 s old and pending rows did not shrink (100 → 100) over 1 min",
    });
  });

  it("is WARN, not STALL, when an old backlog is draining", () => {
    const history = everySecond(61, (s) => outbox(seconds(s), 5_000 - s * 50, { oldestPendingAgeMs: 120_000 }));
    expect(evaluateOutbox(history, null, seconds(60))).toMatchObject({
      status: "WARN",
      rule: "oldest pending row is 2 min old; pending rows shrinking (5,000 → 2,000 over 1 min)",
    });
  });

  it("is WARN when pending grows for 30 s", () => {
    const history = everySecond(31, (s) => outbox(seconds(s), 120 + s * 157));
    expect(evaluateOutbox(history, null, seconds(30))).toMatchObject({ status: "WARN", rule: "pending rows grew from 120 to 4,830 over 30 s" });
    // The same growth over less time than pendingGrowthMs is not yet a warning.
    expect(evaluateOutbox(history.slice(0, 25), null, seconds(24)).status).toBe("OK");
  });

  it("is WARN when more rows fail per second than the threshold", () => {
    const history = everySecond(20, (s) => outbox(seconds(s), 10, { failedRate: 5 }));
    expect(evaluateOutbox(history, null, seconds(19))).toMatchObject({ status: "WARN", rule: "5 rows/s failing over the last 1 min (threshold 1/s)" });
    expect(evaluateOutbox(history, null, seconds(19), { failedRateWarnPerSec: 10 }).status).toBe("OK");
  });

  it("keeps since through a STALL whose numbers change", () => {
    const history = everySecond(90, (s) => outbox(seconds(s), 100, { oldestPendingAgeMs: 30_000 + s * 1_000 }));
    let health: StageHealth | null = null;
    const sinces = new Set<number>();
    for (let i = 0; i < history.length; i++) {
      health = evaluateOutbox(history.slice(0, i + 1), health, history[i]!.at);
      if (health.status === "STALL") sinces.add(health.since);
    }
    expect(health!.status).toBe("STALL");
    expect([...sinces]).toEqual([seconds(31)]);
  });
});

// ---------------------------------------------------------------------------------------------

const RUNNING: NonNullable<CaptureObservation["connect"]> = {
  connector: "outbox-connector",
  state: "RUNNING",
  tasks: [{ id: 0, state: "RUNNING", workerId: "127.0.0.1:18083" }],
  error: null,
};

function capture(at: number, extra: Partial<CaptureObservation> = {}): CaptureObservation {
  return { at, connect: RUNNING, slot: { name: "outbox_slot", active: true, lagBytes: 2_048 }, topicMessagesPerSec: 50, ...extra };
}

describe("evaluateCapture", () => {
  it("is STOP at once when Connect is unreachable, the connector is absent, stopped or failed, or has no tasks", () => {
    const stop = (connect: CaptureObservation["connect"]) => evaluateCapture([capture(seconds(0), { connect })], null, seconds(0));
    expect(stop({ ...RUNNING, state: null, tasks: [], error: "Kafka Connect unreachable: fetch failed" })).toMatchObject({
      status: "STOP",
      rule: "Kafka Connect unreachable: fetch failed",
    });
    expect(stop({ ...RUNNING, state: null, error: null }).rule).toBe("connector outbox-connector not found");
    expect(stop({ ...RUNNING, state: "PAUSED" }).rule).toBe("connector outbox-connector is PAUSED");
    expect(
      stop({
        ...RUNNING,
        tasks: [{ id: 0, state: "FAILED", workerId: null, trace: "org.apache.kafka.connect.errors.ConnectException: slot in use\n\tat io.debezium.Foo(Foo.java:1)" }],
      }).rule,
    ).toBe("task 0 of outbox-connector is FAILED: org.apache.kafka.connect.errors.ConnectException: slot in use");
    expect(stop({ ...RUNNING, tasks: [] }).rule).toBe("connector outbox-connector has no tasks");
  });

  it("is OK while the connector runs and the slot keeps up", () => {
    const history = everySecond(15, (s) => capture(seconds(s)));
    expect(evaluateCapture(history, null, seconds(14))).toMatchObject({ status: "OK", rule: "connector RUNNING, 1 task RUNNING, slot lag 2 kB" });
  });

  it("is WARN when the slot has just gone inactive and STALL once it stays inactive", () => {
    const history = everySecond(30, (s) => capture(seconds(s), { slot: { name: "outbox_slot", active: s < 15, lagBytes: 2_048 } }));
    expect(evaluateCapture(history.slice(0, 20), null, seconds(19))).toMatchObject({
      status: "WARN",
      rule: "replication slot outbox_slot inactive for 4 s: nothing reads the WAL",
    });
    expect(evaluateCapture(history, null, seconds(29))).toMatchObject({
      status: "STALL",
      rule: "replication slot outbox_slot inactive for 14 s: nothing reads the WAL",
    });
  });

  it("is STALL when the slot lag grows for 60 s while no record reaches the topic", () => {
    const history = everySecond(61, (s) => capture(seconds(s), { slot: { name: "outbox_slot", active: true, lagBytes: 1_258_291 + s * 60_000 }, topicMessagesPerSec: 0 }));
    expect(evaluateCapture(history, null, seconds(60))).toMatchObject({
      status: "STALL",
      rule: "slot lag grew from 1.2 MB to 4.6 MB over 1 min while no records reached the topic",
    });
  });

  it("is not STALL when the slot lag grows while records still reach the topic", () => {
    const history = everySecond(61, (s) => capture(seconds(s), { slot: { name: "outbox_slot", active: true, lagBytes: 1_000_000 + s * 60_000 }, topicMessagesPerSec: s === 40 ? 3 : 0 }));
    expect(evaluateCapture(history, null, seconds(60)).status).toBe("OK");
  });

  it("is WARN when the slot lag exceeds the threshold", () => {
    const lagBytes = 200 * 1024 * 1024;
    const history = everySecond(15, (s) => capture(seconds(s), { slot: { name: "outbox_slot", active: true, lagBytes } }));
    expect(evaluateCapture(history, null, seconds(14))).toMatchObject({
      status: "WARN",
      rule: "replication slot outbox_slot lags 200 MB (threshold 64 MB)",
    });
    expect(DEFAULT_HEALTH_THRESHOLDS.slotLagWarnBytes).toBe(64 * 1024 * 1024);
  });

  it("is WARN while a task waits for a worker", () => {
    const history = everySecond(15, (s) => capture(seconds(s), { connect: { ...RUNNING, tasks: [{ id: 0, state: "UNASSIGNED", workerId: null }] } }));
    expect(evaluateCapture(history, null, seconds(14))).toMatchObject({ status: "WARN", rule: "task 0 is UNASSIGNED" });
  });
});

describe("evaluateTopic", () => {
  /** A three-broker cluster, replication factor 3, min.insync.replicas 2, three partitions, all in sync. */
  const healthy: ClusterObservation = { at: seconds(0), liveBrokers: 3, missingBrokers: [], partitions: 3, underReplicated: 0, offline: 0, belowMinIsr: 0 };
  const topicAt = (cluster: ClusterObservation | null, extra: Partial<TopicObservation> = {}): TopicObservation => ({
    at: seconds(0),
    error: null,
    messagesPerSec: 1_250.5,
    cluster,
    ...extra,
  });

  it("is STOP when Kafka is unreachable, OK otherwise, UNKNOWN without a fresh observation", () => {
    expect(evaluateTopic([topicAt(null, { error: "broker down", messagesPerSec: null })], null, seconds(0))).toMatchObject({
      status: "STOP",
      rule: "Kafka unreachable: broker down",
    });
    expect(evaluateTopic([topicAt(null)], null, seconds(0))).toMatchObject({ status: "OK", rule: "reachable, 1,250.5 messages/s" });
    expect(evaluateTopic([], null, seconds(0)).status).toBe("UNKNOWN");
    expect(evaluateTopic([topicAt(null, { messagesPerSec: 1 })], null, seconds(30)).status).toBe("UNKNOWN");
  });

  it("is OK with every broker there and every partition in sync, and counts the brokers", () => {
    expect(evaluateTopic([topicAt(healthy)], null, seconds(0))).toMatchObject({ status: "OK", rule: "reachable, 3 of 3 brokers, 1,250.5 messages/s" });
  });

  it("is WARN, naming the broker and the partitions, when a broker is missing and partitions are under-replicated", () => {
    const oneDown = { ...healthy, liveBrokers: 2, missingBrokers: [{ nodeId: 2 }], underReplicated: 3 };
    expect(evaluateTopic([topicAt(oneDown)], null, seconds(0))).toMatchObject({ status: "WARN", rule: "broker 2 missing; 3 of 3 partitions under-replicated" });
  });

  it("is WARN when a broker without replicas of the topic is missing, or a follower fell out of sync", () => {
    expect(evaluateTopic([topicAt({ ...healthy, missingBrokers: [{ nodeId: 4 }] })], null, seconds(0))).toMatchObject({ status: "WARN", rule: "broker 4 missing" });
    expect(evaluateTopic([topicAt({ ...healthy, underReplicated: 1 })], null, seconds(0))).toMatchObject({ status: "WARN", rule: "1 of 3 partitions under-replicated" });
  });

  it("is STOP when a partition has no leader", () => {
    const twoDown = { ...healthy, liveBrokers: 1, missingBrokers: [{ nodeId: 2 }, { nodeId: 3 }], underReplicated: 3, offline: 1, belowMinIsr: 2 };
    expect(evaluateTopic([topicAt(twoDown)], null, seconds(0))).toMatchObject({
      status: "STOP",
      rule: "1 of 3 partitions offline (no leader); 2 of 3 partitions below min.insync.replicas (writes with acks=all refused); brokers 2 and 3 missing; 3 of 3 partitions under-replicated",
    });
  });

  it("is STOP when partitions fall below min.insync.replicas, and does not judge it when the setting is unknown", () => {
    const belowMinIsr = { ...healthy, liveBrokers: 1, missingBrokers: [{ nodeId: 2 }, { nodeId: 3 }], underReplicated: 3, belowMinIsr: 3 };
    expect(evaluateTopic([topicAt(belowMinIsr)], null, seconds(0)).status).toBe("STOP");
    expect(evaluateTopic([topicAt({ ...belowMinIsr, belowMinIsr: null })], null, seconds(0))).toMatchObject({
      status: "WARN",
      rule: "brokers 2 and 3 missing; 3 of 3 partitions under-replicated",
    });
  });

  it("recovers to OK once the broker is back and in sync, keeping the time WARN began while it lasts", () => {
    const oneDown = { ...healthy, liveBrokers: 2, missingBrokers: [{ nodeId: 2 }], underReplicated: 3 };
    const warn = evaluateTopic([topicAt(oneDown)], null, seconds(0));
    const stillWarn = evaluateTopic([topicAt(oneDown), topicAt({ ...oneDown, at: seconds(5), missingBrokers: [], liveBrokers: 3 }, { at: seconds(5) })], warn, seconds(5));
    expect(stillWarn).toMatchObject({ status: "WARN", rule: "3 of 3 partitions under-replicated", since: seconds(0) });
    const ok = evaluateTopic([topicAt({ ...healthy, at: seconds(9) }, { at: seconds(9) })], stillWarn, seconds(9));
    expect(ok).toMatchObject({ status: "OK", since: seconds(9) });
  });

  it("does not judge cluster metadata that is older than the staleness bound", () => {
    const oneDown = { ...healthy, liveBrokers: 2, missingBrokers: [{ nodeId: 2 }], underReplicated: 3 };
    const now = seconds(0) + DEFAULT_HEALTH_THRESHOLDS.staleAfterMs + 1;
    expect(evaluateTopic([topicAt(oneDown, { at: now })], null, now)).toMatchObject({ status: "OK", rule: "reachable, 1,250.5 messages/s" });
  });
});

// ---------------------------------------------------------------------------------------------
// The ring of columns against the rules written out over plain arrays.

/** Burrow's partition rules over one partition's points, as a plain reading of the rule list above. */
function referencePartition(series: { at: number; committed: string | null; lag: number }[], now: number): [string, string] {
  const t = DEFAULT_HEALTH_THRESHOLDS;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  const latest = series.at(-1)!;
  const window = series.filter((p) => p.at >= now - t.windowMs);
  if (latest.lag <= t.allowedLag) return ["OK", `caught up (lag ${fmt(latest.lag)})`];
  if (window.some((p) => p.lag <= t.allowedLag)) return ["OK", `lag ${fmt(latest.lag)}, caught up within the last ${formatDuration(t.windowMs)}`];
  let stuckFrom = latest;
  for (let i = series.length - 1; i >= 0 && series[i]!.committed === latest.committed && series[i]!.lag > t.allowedLag; i--) stuckFrom = series[i]!;
  const stuckMs = latest.at - stuckFrom.at;
  if (stuckMs >= t.consumerStallMs) {
    const where = latest.committed === null ? "no committed offset" : `committed offset stuck at ${fmt(Number(latest.committed))}`;
    return ["STALL", `${where} for ${formatDuration(stuckMs)} while lag is ${fmt(latest.lag)}`];
  }
  const growth = grewAcross(
    series.map((p) => ({ at: p.at, value: p.lag })),
    t.windowMs,
  );
  const moved = window.length > 0 && window[0]!.committed !== latest.committed;
  if (growth && moved) return ["WARN", `lag grew from ${fmt(growth.from)} to ${fmt(growth.to)} over ${formatDuration(growth.spanMs)} while committed offsets advanced`];
  if (!moved) return ["OK", `lag ${fmt(latest.lag)}, committed offset unchanged for ${formatDuration(stuckMs)}`];
  return ["OK", `lag ${fmt(latest.lag)}, committed offsets advancing and lag not growing`];
}

describe("ConsumerGroupHistory", () => {
  it("judges like the plain rules over the kept observations, across wrap-around, failed reads and partitions that come and go", () => {
    const random = seededRandom(42);
    const capacity = 90;
    const history = new ConsumerGroupHistory(capacity);
    const all: ConsumerGroupObservation[] = [];
    const committed = [100, 200, 300, 400];
    const lags = [0, 0, 0, 0];
    const statuses = new Set<string>();
    for (let s = 0; s < 400; s++) {
      const failed = random() < 0.05;
      const partitions: Array<{ committed: number | null; lag: number; partition: number }> = [];
      for (let partition = 0; partition < 4; partition++) {
        // Partition 3 exists only for a while (a topic shrunk back, as far as the group sees).
        if (partition === 3 && (s < 50 || s > 150)) continue;
        // Each partition switches between behaviours every ~80 s: stuck, advancing, falling behind, caught up.
        const phase = Math.floor((s + partition * 37) / 80) % 4;
        if (phase !== 0) committed[partition]! += Math.floor(random() * 5);
        lags[partition] = phase === 3 ? Math.floor(random() * 2) : Math.max(0, lags[partition]! + Math.floor(random() * 7) - (phase === 1 ? 3 : 1));
        partitions.push({ partition, committed: partition === 2 && s < 120 ? null : committed[partition]!, lag: lags[partition]! });
      }
      const observation = group(seconds(s), partitions, failed ? { error: "timeout" } : {});
      history.push(observation);
      all.push(observation);
      const health = evaluateConsumerGroup(history, null, seconds(s));
      const kept = all.slice(-capacity);
      if (failed || kept.at(-1)!.at - kept[0]!.at < DEFAULT_HEALTH_THRESHOLDS.minHistoryMs) continue;
      // Each partition of the latest observation over the kept, successful observations that list it.
      const judged = kept.at(-1)!.partitions.map((p) => {
        const series = kept.flatMap((o) => {
          const point = o.error === null ? o.partitions.find((q) => q.partition === p.partition) : undefined;
          return point ? [{ at: o.at, committed: point.committedOffset, lag: point.lag }] : [];
        });
        return { partition: p.partition, verdict: referencePartition(series, seconds(s)) };
      });
      const severity = ["UNKNOWN", "OK", "WARN", "STALL", "STOP"];
      const worst = judged.reduce((a, b) => (severity.indexOf(b.verdict[0]) > severity.indexOf(a.verdict[0]) ? b : a));
      const others = judged.filter((j) => j !== worst && j.verdict[0] === worst.verdict[0]).length;
      expect(health.overall.status, `at ${s} s`).toBe(worst.verdict[0]);
      expect(health.overall.rule, `at ${s} s`).toBe(`partition ${worst.partition} of ${TOPIC}: ${worst.verdict[1]}${others > 0 ? `; ${others} more ${others === 1 ? "partition" : "partitions"} alike` : ""}`);
      statuses.add(health.overall.status);
    }
    // The data went through every status the rules give, so each branch was compared.
    expect([...statuses].sort()).toEqual(["OK", "STALL", "WARN"]);
    // Partition 3, gone for longer than the history holds, is forgotten: memory stays bounded.
    expect(history.partitionCount).toBe(3);
  });
});

describe("ConsumerGroupHistory running summaries", () => {
  it("judge each partition as its series does, for every allowed lag, through gaps, wrap-around and committed offsets that come back", () => {
    const random = seededRandom(7);
    const capacity = 70;
    // A stall threshold shorter than the window, and one longer (a catch-up before the window then shortens the stuck run).
    for (const thresholds of [
      { allowedLag: 0, windowMs: 30_000, consumerStallMs: 25_000 },
      { allowedLag: 2, windowMs: 20_000, consumerStallMs: 40_000 },
    ]) {
      const { allowedLag } = thresholds;
      // One history per partition, so that each partition's own verdict is compared; the second of
      // each pair counts by an allowed lag no evaluation uses, so it is always judged from its series.
      const pairs = Array.from({ length: 12 }, () => [new ConsumerGroupHistory(capacity, allowedLag), new ConsumerGroupHistory(capacity, Number.NaN)] as const);
      const committed = pairs.map((_, i) => i * 1_000);
      const lags = pairs.map(() => 0);
      const seen = new Set<string>();
      for (let s = 0; s < 500; s++) {
        const failed = random() < 0.01;
        // Jitter: observations are not exactly a second apart.
        const at = seconds(s) + Math.floor(random() * 300);
        pairs.forEach(([fast, series], partition) => {
          // Behaviours switch every ~60 s: stuck, advancing, falling behind, caught up, and back to an earlier offset.
          const phase = Math.floor((s + partition * 23) / 60) % 5;
          if (phase === 1 || phase === 2) committed[partition]! += Math.floor(random() * 4);
          if (phase === 4 && random() < 0.1) committed[partition]! -= 1;
          lags[partition] = phase === 3 ? Math.floor(random() * 4) : Math.max(0, lags[partition]! + Math.floor(random() * 7) - (phase === 1 ? 3 : 1));
          // Partition 5 is missing from some observations: gaps of its own.
          const listed = partition !== 5 || random() < 0.9;
          const observation = group(at, listed ? [{ partition, committed: partition === 7 && s < 100 ? null : committed[partition]!, lag: lags[partition]! }] : [], failed ? { error: "timeout" } : {});
          fast.push(observation);
          series.push(observation);
          if (!listed || failed) return;
          const expected = evaluateConsumerGroup(series, null, at, thresholds);
          expect(evaluateConsumerGroup(fast, null, at, thresholds), `partition ${partition} at ${s} s`).toEqual(expected);
          seen.add(expected.overall.status);
        });
      }
      expect([...seen].sort()).toEqual(["OK", "STALL", "UNKNOWN", "WARN"]);
    }
  });
});
