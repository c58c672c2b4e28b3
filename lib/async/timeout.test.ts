import { describe, expect, it } from "vitest";
import { TimeoutError, withTimeout } from "./timeout";

describe("withTimeout", () => {
  it("settles with the operation when it is in time", async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000, "answer")).resolves.toBe(42);
    await expect(withTimeout(Promise.reject(new Error("refused")), 1_000, "answer")).rejects.toThrow("refused");
  });

  it("rejects with a TimeoutError naming the operation when it is late", async () => {
    const never = new Promise<never>(() => undefined);
    const error = await withTimeout(never, 5, "Kafka (describeCluster)").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toBe("Kafka (describeCluster) did not answer within 5 ms");
  });

  it("observes a late rejection, so it cannot become an unhandled rejection", async () => {
    let rejectLate: (error: Error) => void = () => undefined;
    const late = new Promise<never>((_, reject) => {
      rejectLate = reject;
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await expect(withTimeout(late, 1, "slow")).rejects.toBeInstanceOf(TimeoutError);
      rejectLate(new Error("late failure"));
      // Unhandled rejections are reported after the microtask queue drains; a macrotask turn is enough.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
