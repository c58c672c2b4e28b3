import { describe, expect, it } from "vitest";
import { DEFAULT_OUTBOX_MAPPING, quoteOutboxTable } from "./mapping";

describe("quoteOutboxTable", () => {
  it("quotes the seed table and every default column", () => {
    const quoted = quoteOutboxTable({ schema: "activity", table: "event_outbox", qualified: "activity.event_outbox" });
    expect(quoted.table).toBe('"activity"."event_outbox"');
    expect(quoted.columns.sequence).toBe('"sequence_id"');
    expect(Object.keys(quoted.columns).sort()).toEqual(Object.keys(DEFAULT_OUTBOX_MAPPING.columns).sort());
  });

  it("keeps a hostile or mixed-case name inside its identifier", () => {
    const quoted = quoteOutboxTable(
      { schema: "Ops", table: "outbox", qualified: "Ops.outbox" },
      { ...DEFAULT_OUTBOX_MAPPING, columns: { ...DEFAULT_OUTBOX_MAPPING.columns, status: 'state"; DROP TABLE users; --' } },
    );
    expect(quoted.table).toBe('"Ops"."outbox"');
    expect(quoted.columns.status).toBe('"state""; DROP TABLE users; --"');
  });
});
