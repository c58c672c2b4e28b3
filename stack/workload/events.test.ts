import { describe, expect, it } from "vitest";
import { generateOperation } from "./events";

/** A deterministic generator so each branch of the event mix is reached. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe("generateOperation", () => {
  it("writes one to three events of known types with ids and JSON-safe payloads", () => {
    const types = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const events = generateOperation();
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(events.length).toBeLessThanOrEqual(3);
      for (const e of events) {
        types.add(e.eventType);
        expect(e.eventId).toMatch(/^[0-9a-f-]{36}$/);
        expect(JSON.parse(JSON.stringify(e.payload))).toEqual(e.payload);
      }
    }
    expect([...types].sort()).toEqual(
      ["ActivityCancelled", "ActivityCreated", "CommentPosted", "ParticipantJoined", "ParticipantLeft", "PaymentCaptured", "UserCreated"].sort(),
    );
  });

  it("makes some payloads large enough for PostgreSQL to TOAST them", () => {
    // roll < 0.95 → CommentPosted; the next draw below 0.1 asks for the long text.
    const [comment] = generateOperation(sequence([0.9, 0, 0.05]));
    expect(comment!.eventType).toBe("CommentPosted");
    expect(JSON.stringify(comment!.payload).length).toBeGreaterThan(2_048);
  });
});
