import { describe, expect, it } from "vitest";
import type { TraceSource } from "@/lib/contracts/events";
import { messagesFromText } from "./messages-from";

const outbox = (from: TraceSource["from"], partition: number | null = 1): TraceSource => ({ topic: "outbox", partition, from });

describe("messagesFromText", () => {
  it("says how the outbox topic's records were found", () => {
    expect(messagesFromText({ sources: [outbox("tail")] })).toBe("found in the live tail's recent records");
    expect(messagesFromText({ sources: [outbox("search")] })).toBe("found by a bounded search of partition 1");
    expect(messagesFromText({ sources: [outbox("search", null)] })).toBe("found by a bounded search");
    expect(messagesFromText({ sources: [outbox("none", null)] })).toBe("not searched");
    expect(messagesFromText({ sources: [] })).toBe("not searched");
  });

  it("names each replay topic searched, and leaves out one that was not", () => {
    const replays: TraceSource = { topic: "orders.replay", partition: 0, from: "search" };
    const missing: TraceSource = { topic: "gone", partition: null, from: "none" };
    expect(messagesFromText({ sources: [outbox("search"), replays, missing] })).toBe("found by a bounded search of partition 1, and by a bounded search of orders.replay partition 0 around its replays");
    expect(messagesFromText({ sources: [outbox("tail"), replays] })).toBe("found in the live tail's recent records, and by a bounded search of orders.replay partition 0 around its replays");
    expect(messagesFromText({ sources: [outbox("none", null), replays] })).toBe("not searched on the outbox topic; found by a bounded search of orders.replay partition 0 around its replays");
    expect(messagesFromText({ sources: [outbox("tail"), missing] })).toBe("found in the live tail's recent records");
  });
});
