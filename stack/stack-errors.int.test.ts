// Bad input to stack:up: a port in use is named with the variable that moves it, and nothing is left
// running or half-written.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stackConfig } from "./config";
import { inspect, up } from "./lifecycle";

let blocker: net.Server;
let blockedPort: number;
let dir: string;

beforeAll(async () => {
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen({ port: 0, host: "127.0.0.1" }, resolve));
  blockedPort = (blocker.address() as net.AddressInfo).port;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "outbox-lens-stack-"));
});

afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("stack:up with a port in use", () => {
  it("names the port and its variable, exits with an error, and starts nothing", async () => {
    const config = stackConfig(
      { profile: "test" },
      { STACK_DIR: dir, STACK_CONNECT_PORT: String(blockedPort), STACK_PG_PORT: "31433", STACK_KAFKA_PORT: "31092", STACK_KAFKA_CONTROLLER_PORT: "31192" },
    );
    const lines: string[] = [];
    await expect(up(config, (line) => lines.push(line))).rejects.toThrow(
      new RegExp(`port already in use: ${blockedPort} for Kafka Connect REST \\(STACK_CONNECT_PORT\\)`),
    );
    const after = await inspect(config);
    expect(after.state).toBeUndefined();
    expect(fs.existsSync(path.join(dir, "pg", "data"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "kafka-1"))).toBe(false);
  });
});
