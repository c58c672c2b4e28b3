import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { TimeoutError } from "@/lib/async/timeout";
import { describeKafkaError, isConnectionLost, isRetriableKafkaError } from "./errors";
import { KafkaJSConnectionClosedError } from "./kafkajs";

describe("describeKafkaError", () => {
  it("reports the innermost reason of a retries-exceeded error", () => {
    const connection = new KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:9092", { broker: "127.0.0.1:9092" });
    const exceeded = new KafkaJSNumberOfRetriesExceeded(connection, { retryCount: 1, retryTime: 100 });
    expect(describeKafkaError(exceeded)).toBe("Connection error: connect ECONNREFUSED 127.0.0.1:9092");
  });

  it("unwraps several levels", () => {
    const inner = new KafkaJSConnectionError("Connection timeout", { broker: "kafka:9092" });
    const wrapped = new KafkaJSNonRetriableError(new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 5, retryTime: 3000 }));
    expect(describeKafkaError(wrapped)).toBe("Connection timeout");
  });

  it("describes errors that are not KafkaJS's", () => {
    expect(describeKafkaError(new TimeoutError("Kafka (describeCluster)", 2000))).toBe("Kafka (describeCluster) did not answer within 2000 ms");
  });
});

describe("isRetriableKafkaError", () => {
  it("follows KafkaJS's flag and treats foreign errors as retriable", () => {
    expect(isRetriableKafkaError(new KafkaJSConnectionError("x"))).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError("x"))).toBe(false);
    expect(isRetriableKafkaError(new Error("x"))).toBe(true);
  });
});

describe("isConnectionLost", () => {
  it("finds a lost or closed connection however deeply it is wrapped", () => {
    expect(isConnectionLost(new KafkaJSConnectionClosedError("Closed connection"))).toBe(true);
    expect(isConnectionLost(new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError("Connection error: read ECONNRESET"), { retryCount: 1, retryTime: 100 }))).toBe(true);
    expect(isConnectionLost(new Error("reading t failed", { cause: new KafkaJSConnectionClosedError("Closed connection") }))).toBe(true);
  });

  it("is false for a broker's answer, a timeout, or anything else", () => {
    expect(isConnectionLost(new KafkaJSProtocolError("The coordinator is loading"))).toBe(false);
    expect(isConnectionLost(new TimeoutError("Kafka (listOffsets)", 2000))).toBe(false);
    expect(isConnectionLost(new Error("Closed connection"))).toBe(false);
    expect(isConnectionLost(null)).toBe(false);
  });
});
