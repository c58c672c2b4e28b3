import { describe, expect, it } from "vitest";
import type { Pool } from "./db";
import { DEFAULT_OUTBOX_MAPPING } from "./mapping";
import { failureGroupIndexName, failureGroupIndexSql } from "./failure-groups";
import { outboxTable } from "./table";

const pool = {} as Pool;

describe("the failure-group index", () => {
  it("is keyed by event type and signature, covers the grouping's columns and is partial on the failed status", () => {
    const table = outboxTable(pool, { schema: "activity", table: "event_outbox", qualified: "activity.event_outbox" });
    expect(failureGroupIndexSql(table)).toBe(
      [
        `CREATE INDEX "event_outbox_failure_group_idx" ON "activity"."event_outbox"`,
        `  ("event_type", outbox_lens.error_signature("last_error"))`,
        `  INCLUDE ("last_error", "updated_at", "event_id")`,
        `  WHERE "status" = 'failed';`,
      ].join("\n"),
    );
  });

  it("quotes the mapping's names and status value, so neither can end the statement", () => {
    const mapping = {
      statuses: { ...DEFAULT_OUTBOX_MAPPING.statuses, failed: "it's; DROP TABLE x; --" },
      columns: { ...DEFAULT_OUTBOX_MAPPING.columns, lastError: 'err"or', eventType: "Kind" },
    };
    const table = outboxTable(pool, { schema: "s", table: 'jo"bs', qualified: 's.jo"bs' }, mapping);
    const sql = failureGroupIndexSql(table);
    expect(sql).toContain(`CREATE INDEX "jo""bs_failure_group_idx" ON "s"."jo""bs"`);
    expect(sql).toContain(`("Kind", outbox_lens.error_signature("err""or"))`);
    expect(sql).toContain(`WHERE "status" = 'it''s; DROP TABLE x; --';`);
  });

  it("keeps its name within PostgreSQL's 63 bytes, cutting the table's part", () => {
    const long = "é".repeat(40);
    const name = failureGroupIndexName(outboxTable(pool, { schema: "s", table: long, qualified: `s.${long}` }));
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
    expect(name.endsWith("_failure_group_idx")).toBe(true);
    expect(name.startsWith("éé")).toBe(true);
  });
});
