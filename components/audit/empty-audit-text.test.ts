import { describe, expect, it } from "vitest";
import { emptyAuditText } from "./empty-audit-text";
import { isFilteredAuditView } from "./audit-url-state";

describe("emptyAuditText", () => {
  it("says a filter matched nothing only when a filter is set", () => {
    expect(emptyAuditText(true, "all")).toBe("No entry matches this filter.");
    expect(emptyAuditText(true, "own")).toBe("No entry matches this filter.");
  });

  it("says no action was taken yet, in the reader's scope, when nothing narrows the log", () => {
    expect(emptyAuditText(false, "all")).toMatch(/^No action has been taken yet/);
    expect(emptyAuditText(false, "own")).toMatch(/^You have taken no action yet/);
    expect(emptyAuditText(false, null)).toMatch(/^No action has been taken yet/);
  });
});

describe("isFilteredAuditView", () => {
  it("counts filter fields, not the page", () => {
    expect(isFilteredAuditView({})).toBe(false);
    expect(isFilteredAuditView({ cursor: 42 })).toBe(false);
    expect(isFilteredAuditView({ actor: "operator" })).toBe(true);
    expect(isFilteredAuditView({ action: "outbox:retry" })).toBe(true);
    expect(isFilteredAuditView({ from: "2026-12-07T00:00:00.000Z" })).toBe(true);
  });
});
