import { afterEach, describe, expect, it, vi } from "vitest";
import { retryRequestSchema } from "@/lib/contracts/outbox";
import { newIdempotencyKey } from "./idempotency-key";

const request = (idempotencyKey: string) => ({ eventIds: ["6f1c2e0a-0000-4000-8000-000000000001"], reason: "poison message fixed", idempotencyKey });

describe("newIdempotencyKey", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("is a key the contract accepts, new each time", () => {
    const key = newIdempotencyKey();
    expect(retryRequestSchema.safeParse(request(key)).success).toBe(true);
    expect(newIdempotencyKey()).not.toBe(key);
  });

  it("is built from getRandomValues where randomUUID is missing (plain HTTP)", () => {
    const { getRandomValues } = crypto;
    vi.stubGlobal("crypto", { getRandomValues: getRandomValues.bind(crypto) });
    const key = newIdempotencyKey();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(retryRequestSchema.safeParse(request(key)).success).toBe(true);
  });
});
