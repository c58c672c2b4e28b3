import { describe, expect, it } from "vitest";
import { safeNextPath } from "./redirect";

describe("safeNextPath", () => {
  it("keeps paths on this site with their query and fragment", () => {
    expect(safeNextPath("/outbox")).toBe("/outbox");
    expect(safeNextPath("/messages?topic=a&p=1#row-3")).toBe("/messages?topic=a&p=1#row-3");
  });

  it.each([
    ["https://evil.example/", "an absolute URL"],
    ["//evil.example/path", "a protocol-relative URL"],
    ["/\\evil.example", "a backslash that browsers read as a slash"],
    ["\\\\evil.example", "backslashes only"],
    ["/\t/evil.example", "a tab browsers strip"],
    ["javascript:alert(1)", "a script URL"],
    ["outbox", "a relative path"],
    ["/login?next=/outbox", "the login page itself"],
    ["", "nothing"],
  ])("falls back to / for %s (%s)", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("falls back to / without a value", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
  });
});
