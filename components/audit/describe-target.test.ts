import { describe, expect, it } from "vitest";
import { TARGET_TEXT_CHARS, describeTarget } from "./describe-target";

describe("describeTarget", () => {
  it("counts event ids, and names a single one", () => {
    expect(describeTarget({ eventIds: ["a", "b", "c"] })).toBe("3 event ids");
    expect(describeTarget({ eventIds: ["6f1c2e0a-0000-4000-8000-000000000001"] })).toBe("event 6f1c2e0a-0000-4000-8000-000000000001");
  });

  it("lists a filter's fields, and says when it is empty", () => {
    expect(describeTarget({ filter: { status: "failed", eventType: "X", retryCountMin: 2 } })).toBe("filter status=failed eventType=X retryCountMin=2");
    expect(describeTarget({ filter: {} })).toBe("filter (every row)");
  });

  it("names a failure group by event type and signature, cutting a long signature", () => {
    expect(describeTarget({ group: { eventType: "OrderPlaced", signature: "timeout after <n> ms" } })).toBe("group OrderPlaced / timeout after <n> ms");
    const long = describeTarget({ group: { eventType: "T", signature: "s".repeat(500) } });
    expect(long.length).toBeLessThanOrEqual("group T / ".length + TARGET_TEXT_CHARS);
    expect(long.endsWith("…")).toBe(true);
  });

  it("names a connector, and shows anything else compactly", () => {
    expect(describeTarget({ connector: "outbox-connector", onlyFailed: true })).toBe("connector outbox-connector (failed tasks)");
    expect(describeTarget({ connector: "outbox-connector" })).toBe("connector outbox-connector");
    expect(describeTarget({ something: 1 })).toBe('{"something":1}');
    expect(describeTarget({})).toBe("—");
  });
});
