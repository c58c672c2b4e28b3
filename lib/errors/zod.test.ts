import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MAX_ISSUES_DESCRIBED, describeZodError } from "./zod";

describe("describeZodError", () => {
  it("names the field and the problem, and unknown keys", () => {
    const schema = z.strictObject({ limit: z.number().max(10), topic: z.object({ name: z.string() }) });
    const result = schema.safeParse({ limit: 11, topic: { name: 3 }, extra: true });
    expect(result.success).toBe(false);
    const message = describeZodError(result.error!);
    expect(message).toContain("limit: ");
    expect(message).toContain("topic.name: ");
    expect(message).toContain('"extra"');
  });

  it("caps the number of issues it lists", () => {
    const schema = z.array(z.string());
    const result = schema.safeParse(Array.from({ length: MAX_ISSUES_DESCRIBED + 3 }, (_, i) => i));
    const message = describeZodError(result.error!);
    expect(message.split("; ").length).toBe(MAX_ISSUES_DESCRIBED + 1);
    expect(message).toMatch(/and 3 more$/);
  });
});
