import { describe, expect, it } from "vitest";
import { MAX_ERROR_MESSAGE_CHARS, describeError, firstLine, truncate } from "./describe-error";

describe("describeError", () => {
  it("uses an Error's message, never its stack", () => {
    const error = new Error("connect ECONNREFUSED 127.0.0.1:5433");
    expect(describeError(error)).toBe("connect ECONNREFUSED 127.0.0.1:5433");
    expect(describeError(error)).not.toContain("at ");
  });

  it("reads the inner errors of an AggregateError with an empty message (dual-stack connect)", () => {
    const error = new AggregateError([new Error("connect ECONNREFUSED ::1:5433"), new Error("connect ECONNREFUSED 127.0.0.1:5433")], "");
    expect(describeError(error)).toBe("connect ECONNREFUSED ::1:5433; connect ECONNREFUSED 127.0.0.1:5433");
  });

  it("appends the cause that a generic message hides", () => {
    const error = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8083") });
    expect(describeError(error)).toBe("fetch failed: connect ECONNREFUSED 127.0.0.1:8083");
  });

  it("does not repeat a cause already in the message, and survives cycles", () => {
    const inner = new Error("timeout");
    expect(describeError(new Error("request timeout", { cause: inner }))).toBe("request timeout");
    const cyclic = new Error("a") as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    expect(describeError(cyclic)).toBe("a");
  });

  it("describes non-errors and cuts long texts", () => {
    expect(describeError("plain")).toBe("plain");
    expect(describeError({ code: 42 })).toBe('{"code":42}');
    expect(describeError(new Error("x".repeat(2_000)))).toHaveLength(MAX_ERROR_MESSAGE_CHARS);
  });
});

describe("truncate and firstLine", () => {
  it("keeps short texts and marks cut ones", () => {
    expect(truncate("abc", 5)).toBe("abc");
    expect(truncate("abcdef", 4)).toBe("abc…");
  });

  it("takes the exception line of a Java trace", () => {
    expect(firstLine("org.apache.kafka.connect.errors.ConnectException: boom\n\tat Foo.bar(Foo.java:1)")).toBe(
      "org.apache.kafka.connect.errors.ConnectException: boom",
    );
  });
});
