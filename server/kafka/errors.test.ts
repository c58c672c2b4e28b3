import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from "kafkajs";
import { describe, expect, it } from "vitest";
import { TimeoutError } from "@/lib/async/timeout";
import { describeKafkaError, isRetriableKafkaError } from "./errors";

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
