import { describe, expect, it } from "vitest";
import { PROFILES, stackConfig, stackEnv } from "./config";
import { kafkaProxiedPorts } from "./kafka";

/** Linux's first ephemeral port (net.ipv4.ip_local_port_range's default lower end). */
const FIRST_EPHEMERAL_PORT = 32_768;

describe("stackConfig", () => {
  it("keeps the test profile off the demo's ports and directory", () => {
    const demo = stackConfig({ profile: "demo" }, {});
    const test = stackConfig({ profile: "test" }, {});
    expect(demo.ports.postgres).toBe(5433);
    expect(test.ports.postgres).toBe(15433);
    expect(test.ports.kafka).toEqual([19092]);
    expect(test.dir).not.toBe(demo.dir);
    expect(test.dir.endsWith(".stack-test")).toBe(true);
  });

  it("gives three brokers consecutive ports and a bootstrap list", () => {
    const config = stackConfig({ brokers: 3 }, { STACK_KAFKA_PORT: "9500" });
    expect(config.ports.kafka).toEqual([9500, 9501, 9502]);
    expect(stackEnv(config).KAFKA_BROKERS).toBe("127.0.0.1:9500,127.0.0.1:9501,127.0.0.1:9502");
  });

  it("gives the cluster profile three brokers on ports of its own unless told otherwise", () => {
    const cluster = stackConfig({ profile: "cluster" }, {});
    expect(cluster.brokers).toBe(3);
    expect(cluster.ports.kafka).toEqual([25092, 25093, 25094]);
    expect(cluster.ports.app).toBe(19000);
    expect(cluster.dir.endsWith(".stack-cluster")).toBe(true);
    expect(stackConfig({ profile: "cluster", brokers: 1 }, {}).brokers).toBe(1);
    expect(stackConfig({ profile: "cluster" }, { STACK_BROKERS: "1" }).brokers).toBe(1);
    expect(stackConfig({ profile: "faults" }, {}).brokers).toBe(1);
  });

  it("gives the demo and test stacks a replay topic in REPLAY_TOPICS, and the others none", () => {
    expect(stackEnv(stackConfig({ profile: "demo" }, {})).REPLAY_TOPICS).toBe("postgres.activity.event_outbox.replay");
    expect(stackEnv(stackConfig({ profile: "test" }, { OUTBOX_TOPIC: "orders.outbox" })).REPLAY_TOPICS).toBe("orders.outbox.replay");
    for (const profile of ["bench", "faults", "cluster", "soak"] as const) {
      expect(stackConfig({ profile }, {}).replayTopic).toBeNull();
      expect(stackEnv(stackConfig({ profile }, {})).REPLAY_TOPICS).toBeUndefined();
    }
  });

  it("names the variable that is wrong", () => {
    expect(() => stackConfig({}, { STACK_PG_PORT: "eighty" })).toThrow(/STACK_PG_PORT/);
    expect(() => stackConfig({}, { STACK_BROKERS: "2" })).toThrow(/STACK_BROKERS: must be 1 or 3/);
    expect(() => stackConfig({}, { STACK_DATABASE_URL: "not a url" })).toThrow(/STACK_DATABASE_URL/);
  });

  it("uses an external database when STACK_DATABASE_URL is set", () => {
    const url = "postgres://app:secret@db.internal:5432/activity";
    expect(stackEnv(stackConfig({}, { STACK_DATABASE_URL: url })).DATABASE_URL).toBe(url);
  });

  it("turns random processor failures off in the test profile only", () => {
    expect(stackConfig({ profile: "test" }, {}).processorFailureRate).toBe(0);
    expect(stackConfig({ profile: "demo" }, {}).processorFailureRate).toBe(0.02);
  });

  it("keeps every profile's ports, three brokers each, below the ephemeral range and apart from every other profile's", () => {
    const owner = new Map<number, string>();
    for (const profile of PROFILES) {
      const config = stackConfig({ profile, brokers: 3 }, {});
      const { postgres, kafka, controller, connect, app } = config.ports;
      const proxied = kafka.flatMap((_, i) => {
        const ports = kafkaProxiedPorts(config, i + 1);
        return ports ? [ports.listener, ports.proxy] : [];
      });
      for (const port of [postgres, ...kafka, ...controller, connect, app, ...proxied]) {
        expect(port, `${profile}: ${port}`).toBeLessThan(FIRST_EPHEMERAL_PORT);
        expect(owner.get(port), `${profile}: ${port}`).toBeUndefined();
        owner.set(port, profile);
      }
    }
  });
});
