import { KafkaJSProtocolError, type Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import { KafkaAdminConnection } from "./admin";
import type { KafkaClient } from "./client";
import { KafkaJSConnectionClosedError } from "./kafkajs";

/** A client whose admins answer from a script: each new admin takes the next answer. */
function scriptedClient(answers: Array<() => Promise<string>>) {
  let created = 0;
  let disconnected = 0;
  const client = {
    brokers: ["127.0.0.1:1"],
    admin: () => {
      const answer = answers[Math.min(created, answers.length - 1)]!;
      created += 1;
      return { connect: async () => undefined, disconnect: async () => void (disconnected += 1), answer } as unknown as Admin;
    },
  } as unknown as KafkaClient;
  return { client, created: () => created, disconnected: () => disconnected };
}

const ask = (admin: Admin) => (admin as unknown as { answer: () => Promise<string> }).answer();

describe("KafkaAdminConnection.run", () => {
  it("answers a lost connection with one try on a fresh admin", async () => {
    const { client, created, disconnected } = scriptedClient([() => Promise.reject(new KafkaJSConnectionClosedError("Closed connection")), () => Promise.resolve("offsets")]);
    const connection = new KafkaAdminConnection(client);
    await expect(connection.run("offsets", 5_000, ask)).resolves.toBe("offsets");
    expect(created()).toBe(2);
    expect(disconnected()).toBe(1);
  });

  it("gives up after the second lost connection", async () => {
    const { client, created } = scriptedClient([() => Promise.reject(new KafkaJSConnectionClosedError("Closed connection"))]);
    await expect(new KafkaAdminConnection(client).run("offsets", 5_000, ask)).rejects.toThrow("Closed connection");
    expect(created()).toBe(2);
  });

  it("does not repeat a broker's answer", async () => {
    const { client, created } = scriptedClient([() => Promise.reject(new KafkaJSProtocolError("The coordinator is loading")), () => Promise.resolve("offsets")]);
    await expect(new KafkaAdminConnection(client).run("offsets", 5_000, ask)).rejects.toThrow("coordinator is loading");
    expect(created()).toBe(1);
  });

  it("keeps the first try's deadline for the second", async () => {
    const { client } = scriptedClient([
      // The stale connection fails after 150 ms; the fresh one never answers.
      () => new Promise<string>((_, reject) => setTimeout(() => reject(new KafkaJSConnectionClosedError("Closed connection")), 150)),
      () => new Promise<string>(() => undefined),
    ]);
    await expect(new KafkaAdminConnection(client).run("offsets", 500, ask)).rejects.toThrow(/did not answer within (3\d\d) ms/);
  });
});
