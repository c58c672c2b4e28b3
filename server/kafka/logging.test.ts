import { logLevel, type LogEntry } from "kafkajs";
import { describe, expect, it } from "vitest";
import type { Logger } from "@/server/log";
import { KAFKA_LOG_DEDUPE_MAX_KEYS, KAFKA_LOG_REPEAT_WINDOW_MS, createKafkaLogCreator } from "./logging";

function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    info: (message) => lines.push(`INFO ${message}`),
    warn: (message) => lines.push(`WARN ${message}`),
    error: (message) => lines.push(`ERROR ${message}`),
    child: () => logger,
  };
  return logger;
}

function entry(level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return { namespace: "Connection", level, label: logLevel[level], log: { timestamp: "t", message, ...extra } };
}

describe("createKafkaLogCreator", () => {
  it("forwards WARN and ERROR, drops INFO and DEBUG, and never prints a stack", () => {
    const lines: string[] = [];
    const log = createKafkaLogCreator(recordingLogger(lines))(logLevel.WARN);
    log(entry(logLevel.INFO, "Starting"));
    log(entry(logLevel.DEBUG, "Request Metadata"));
    log(entry(logLevel.WARN, "Rebalancing"));
    log(entry(logLevel.ERROR, "Connection error: connect ECONNREFUSED", { broker: "127.0.0.1:9092", stack: "Error\n    at x" }));
    expect(lines).toEqual(["WARN Connection: Rebalancing", "ERROR Connection: Connection error: connect ECONNREFUSED (broker 127.0.0.1:9092)"]);
  });

  it("prints an error response KafkaJS retries as WARN, and one it does not retry as ERROR", () => {
    const lines: string[] = [];
    const log = createKafkaLogCreator(recordingLogger(lines))(logLevel.WARN);
    const response = "Response InitProducerId(key: 22, version: 1)";
    log(entry(logLevel.ERROR, response, { broker: "127.0.0.1:9092", error: "The coordinator is loading and hence can't process requests for this group" }));
    log(entry(logLevel.ERROR, response, { broker: "127.0.0.1:9092", error: "Not authorized to access topics: [Topic authorization failed]" }));
    expect(lines).toEqual([
      "WARN Connection: Response InitProducerId(key: 22, version: 1) (broker 127.0.0.1:9092) — The coordinator is loading and hence can't process requests for this group (KafkaJS retries it)",
      "ERROR Connection: Response InitProducerId(key: 22, version: 1) (broker 127.0.0.1:9092) — Not authorized to access topics: [Topic authorization failed]",
    ]);
  });

  it("prints a repeated line once per window, then with the count of what it suppressed", () => {
    const lines: string[] = [];
    let now = 0;
    const log = createKafkaLogCreator(recordingLogger(lines), () => now)(logLevel.WARN);
    for (let i = 0; i < 10; i++) {
      log(entry(logLevel.ERROR, "Connection error"));
      now += 2_000;
    }
    expect(lines).toHaveLength(1);
    now = KAFKA_LOG_REPEAT_WINDOW_MS + 1;
    log(entry(logLevel.ERROR, "Connection error"));
    expect(lines).toEqual(["ERROR Connection: Connection error", "ERROR Connection: Connection error (repeated 9× in the last 60 s)"]);
  });

  it("keeps its memory bounded when messages never repeat", () => {
    const lines: string[] = [];
    const log = createKafkaLogCreator(recordingLogger(lines), () => 0)(logLevel.WARN);
    for (let i = 0; i <= KAFKA_LOG_DEDUPE_MAX_KEYS; i++) log(entry(logLevel.WARN, `message ${i}`));
    // The first message was evicted, so it prints again instead of being suppressed.
    log(entry(logLevel.WARN, "message 0"));
    expect(lines).toHaveLength(KAFKA_LOG_DEDUPE_MAX_KEYS + 2);
  });
});
