import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  auditExportHref,
  auditListKey,
  auditViewFromSearchParams,
  invalidAuditParams,
  searchParamsFromAuditForm,
  searchParamsFromAuditView,
} from "./audit-url-state";

const params = (query: string) => new URLSearchParams(query);
const EVENT_ID = "6f1c2e0a-0000-4000-8000-000000000001";

describe("audit URL state", () => {
  it("reads the filter and a numeric cursor", () => {
    expect(auditViewFromSearchParams(params(`actor=alice&action=outbox:retry&eventId=${EVENT_ID}&from=2026-01-01T00:00:00Z&cursor=120`))).toEqual({
      actor: "alice",
      action: "outbox:retry",
      eventId: EVENT_ID,
      from: "2026-01-01T00:00:00Z",
      cursor: 120,
    });
  });

  it("leaves out invalid parameters and says why", () => {
    const query = params("action=outbox:delete&eventId=42&cursor=-3&actor=bob");
    expect(auditViewFromSearchParams(query)).toEqual({ actor: "bob" });
    expect(invalidAuditParams(query).map((ignored) => ignored.param)).toEqual(["action", "eventId", "cursor"]);
    expect(invalidAuditParams(query)[1]?.message).toBe("must be a UUID");
  });

  it("round-trips, and names the list apart from the page", () => {
    const view = auditViewFromSearchParams(params("to=2026-02-01T00:00:00%2B02:00&action=connector:restart&cursor=7"));
    expect(auditViewFromSearchParams(searchParamsFromAuditView(view))).toEqual(view);
    expect(auditListKey(view)).toBe(auditListKey({ ...view, cursor: 99 }));
    expect(auditListKey(view)).not.toContain("cursor");
  });

  it("exports the same filter without the page", () => {
    expect(auditExportHref(auditViewFromSearchParams(params("actor=alice&cursor=50")))).toBe("/api/audit/export?actor=alice");
    expect(auditExportHref({})).toBe("/api/audit/export");
  });

  describe("from the form", () => {
    const originalTz = process.env.TZ;
    beforeEach(() => {
      process.env.TZ = "UTC";
    });
    afterEach(() => {
      process.env.TZ = originalTz;
    });

    it("trims, drops 'all' and empty fields, converts local times", () => {
      const query = searchParamsFromAuditForm({ actor: " alice ", action: "all", eventId: "", from: "2026-01-31T12:00" });
      expect(auditViewFromSearchParams(query)).toEqual({ actor: "alice", from: "2026-01-31T12:00:00+00:00" });
    });
  });
});
