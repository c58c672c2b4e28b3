import { describe, expect, it } from "vitest";
import { NAV_ITEMS, isActiveSection } from "./navigation";

describe("navigation", () => {
  it("lists the five sections in header order", () => {
    expect(NAV_ITEMS.map((item) => item.href)).toEqual(["/", "/messages", "/outbox", "/consumers", "/audit"]);
  });

  it("marks Overview only on / and other sections on their sub-pages too", () => {
    expect(isActiveSection("/", "/")).toBe(true);
    expect(isActiveSection("/", "/messages")).toBe(false);
    expect(isActiveSection("/messages", "/messages/42")).toBe(true);
    expect(isActiveSection("/outbox", "/outboxes")).toBe(false);
  });
});
