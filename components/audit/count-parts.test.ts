import { describe, expect, it } from "vitest";
import { countParts } from "./count-parts";

const counts = { matched: 12, changed: 10, skipped: 2, failed: 0 };
const words = (parts: ReturnType<typeof countParts>) => parts.map((part) => `${part.value} ${part.label}${part.alert ? "!" : ""}`);

describe("countParts", () => {
  it("says what a retry changed and skipped", () => {
    expect(words(countParts({ action: "outbox:retry", ...counts }))).toEqual(["12 matched", "10 changed", "2 skipped", "0 failed"]);
  });

  it("says what a replay or a re-produce produced, and what failed, leaving out a zero skipped", () => {
    expect(words(countParts({ action: "outbox:replay", ...counts, skipped: 0, failed: 3 }))).toEqual(["12 matched", "10 produced", "3 failed!"]);
    expect(words(countParts({ action: "message:reproduce", matched: 1, changed: 1, skipped: 0, failed: 0 }))).toEqual(["1 matched", "1 produced", "0 failed"]);
    expect(words(countParts({ action: "outbox:replay", ...counts }))).toEqual(["12 matched", "10 produced", "2 skipped", "0 failed"]);
  });

  it("counts no rows for a connector restart", () => {
    expect(countParts({ action: "connector:restart", matched: null, changed: 1, skipped: 0, failed: 0 })).toEqual([]);
  });
});
