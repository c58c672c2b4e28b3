import { DEFAULT_OUTBOX_COLUMNS, decodeRecord, type DecodedRecord } from "@/lib/debezium";

const encoder = new TextEncoder();

/** A decoded insert of an outbox row at `offset`, for the realtime tests. */
export function changeRecord(offset: number, eventType = "OrderPlaced", partition = 0): DecodedRecord {
  const value = {
    before: null,
    after: { event_id: `e-${offset}`, aggregate_type: "order", aggregate_id: `o-${offset}`, event_type: eventType, status: "pending", payload: "{}" },
    source: { db: "app", schema: "public", table: "outbox", ts_ms: 1, lsn: 1, txId: 1, snapshot: "false" },
    op: "c",
    ts_ms: 2,
  };
  return decodeRecord(
    { topic: "outbox", partition, offset: String(offset), timestamp: 1_000 + offset, key: encoder.encode(JSON.stringify({ id: `e-${offset}` })), value: encoder.encode(JSON.stringify(value)), headers: {} },
    { columns: DEFAULT_OUTBOX_COLUMNS },
  );
}
