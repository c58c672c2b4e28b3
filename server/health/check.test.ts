import { describe, expect, it } from "vitest";
import { healthReportSchema } from "@/lib/contracts/health";
import { checkAll, healthChanged, summarizeHealth } from "./check";
import { connectUp, kafkaBrokerMissing, kafkaDown, kafkaUp, postgresUp, report } from "./test-fixtures";

describe("checkAll", () => {
  it("runs the three probes concurrently and reports ok when all are up", async () => {
    const started: string[] = [];
    let releaseAll: () => void = () => undefined;
    const allStarted = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    const probe = <T>(name: string, value: T) => async () => {
      started.push(name);
      if (started.length === 3) releaseAll();
      // Each probe waits until all three have started: this only completes if they run in parallel.
      await allStarted;
      return value;
    };

    const result = await checkAll(
      { postgres: probe("postgres", postgresUp()), kafka: probe("kafka", kafkaUp()), connect: probe("connect", connectUp()) },
      () => new Date("2025-03-01T12:00:00.000Z"),
    );
    expect(result).toEqual(report({ postgres: postgresUp(), kafka: kafkaUp(), connect: connectUp() }));
    expect(healthReportSchema.parse(result)).toEqual(result);
  });

  it("is degraded when one component is down", async () => {
    const result = await checkAll({ postgres: async () => postgresUp(), kafka: async () => kafkaDown(), connect: async () => connectUp() });
    expect(result.status).toBe("degraded");
    expect(summarizeHealth(result)).toBe("kafka down (Connection error: connect ECONNREFUSED 127.0.0.1:9092)");
  });
});

describe("healthChanged", () => {
  it("ignores timings but sees statuses, errors and task states", () => {
    const base = report({ postgres: postgresUp(3), kafka: kafkaUp(4), connect: connectUp(5) });
    expect(healthChanged(null, base)).toBe(true);
    expect(healthChanged(base, report({ postgres: postgresUp(30), kafka: kafkaUp(40), connect: connectUp(50) }, "2025-03-01T12:00:02.000Z"))).toBe(false);
    expect(healthChanged(base, report({ postgres: postgresUp(), kafka: kafkaDown(), connect: connectUp() }))).toBe(true);
    expect(
      healthChanged(report({ postgres: postgresUp(), kafka: kafkaDown("a"), connect: connectUp() }), report({ postgres: postgresUp(), kafka: kafkaDown("b"), connect: connectUp() })),
    ).toBe(true);
    const restarting = connectUp();
    restarting.detail.tasks = [{ id: 0, state: "RESTARTING", workerId: null }];
    expect(healthChanged(base, report({ postgres: postgresUp(), kafka: kafkaUp(), connect: restarting }))).toBe(true);
  });
});

describe("a cluster with a broker missing", () => {
  it("is up, says what is missing in the summary, and counts as a change both ways", () => {
    const healthy = report({ postgres: postgresUp(), kafka: kafkaUp(), connect: connectUp() });
    const missing = report({ postgres: postgresUp(), kafka: kafkaBrokerMissing(), connect: connectUp() });
    expect(missing.status).toBe("ok");
    expect(healthReportSchema.parse(missing)).toEqual(missing);
    expect(summarizeHealth(missing)).toBe("all components up; kafka: broker 2 missing; 3 of 3 partitions under-replicated");
    expect(summarizeHealth(healthy)).toBe("all components up");
    expect(healthChanged(healthy, missing)).toBe(true);
    expect(healthChanged(missing, healthy)).toBe(true);
  });

  it("does not count the controller id a KRaft broker answers with (a random live broker) as a change", () => {
    const asked = kafkaBrokerMissing();
    const askedAgain = kafkaBrokerMissing();
    askedAgain.detail.controller = 3;
    expect(healthChanged(report({ postgres: postgresUp(), kafka: asked, connect: connectUp() }), report({ postgres: postgresUp(), kafka: askedAgain, connect: connectUp() }))).toBe(false);
  });
});
