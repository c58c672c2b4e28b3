import { describe, expect, it } from "vitest";
import { describeZodError } from "@/lib/errors/zod";
import { outboxFilterSchema, outboxRowsQuerySchema, replayRequestSchema, retryRequestSchema } from "./outbox";

function problem(result: { success: boolean; error?: Parameters<typeof describeZodError>[0] }): string {
  if (result.success || !result.error) throw new Error("expected a refusal");
  return describeZodError(result.error);
}

describe("outbox contracts", () => {
  it("coerces a query string into a page request with defaults", () => {
    expect(outboxRowsQuerySchema.parse({ status: "failed", retryCountMin: "2", limit: "20" })).toEqual({ status: "failed", retryCountMin: 2, limit: 20, order: "newest" });
  });

  it("refuses empty ranges, naming the field at fault, in the filter and in the query alike", () => {
    const range = { createdFrom: "2026-11-28T10:00:00Z", createdTo: "2026-11-28T09:00:00Z", retryCountMin: 3, retryCountMax: 1 };
    for (const result of [outboxFilterSchema.safeParse(range), outboxRowsQuerySchema.safeParse({ ...range, retryCountMin: "3", retryCountMax: "1" })]) {
      const message = problem(result);
      expect(message).toMatch(/createdTo: must be later than createdFrom/);
      expect(message).toMatch(/retryCountMax: must be ≥ retryCountMin/);
    }
  });

  it("refuses unknown parameters and values that are not what they claim", () => {
    expect(problem(outboxRowsQuerySchema.safeParse({ colour: "red" }))).toMatch(/colour/);
    expect(problem(outboxRowsQuerySchema.safeParse({ limit: "201" }))).toMatch(/limit: must be ≤ 200/);
    expect(problem(outboxFilterSchema.safeParse({ createdFrom: "yesterday" }))).toMatch(/createdFrom: must be an ISO 8601 time/);
  });

  it("asks an action for exactly one target, and for a reason and an idempotency key unless it is a dry run", () => {
    expect(problem(retryRequestSchema.safeParse({ dryRun: true }))).toMatch(/exactly one of eventIds, filter or group/);
    expect(retryRequestSchema.safeParse({ filter: {}, dryRun: true }).success).toBe(true);
    const missing = problem(retryRequestSchema.safeParse({ filter: {} }));
    expect(missing).toMatch(/reason: is required/);
    expect(missing).toMatch(/idempotencyKey: is required/);
    expect(problem(replayRequestSchema.safeParse({ eventIds: ["not-a-uuid"], dryRun: true }))).toMatch(/eventIds\.0: must be a UUID/);
    expect(problem(replayRequestSchema.safeParse({ filter: {}, dryRun: true, topic: "no spaces allowed" }))).toMatch(/topic: must be a Kafka topic name/);
  });
});
