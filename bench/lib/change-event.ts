import { randomUUID } from "node:crypto";
import { generateOperation } from "@/stack/workload/events";

export interface ChangeEventOptions {
  /** Sequence number of the record (sequence_id, txId and lsn follow from it). */
  index: number;
  /** Epoch ms the event is said to have been written; created_at and source.ts_ms derive from it. */
  now: number;
  eventId?: string;
  eventType?: string;
  /** Pad the payload to about this many bytes (the record is ~560 bytes larger). */
  payloadBytes?: number;
}

/**
 * A change event as Debezium writes it for the stack's outbox table (op c, schemas off), about
 * 1 KB with the default padding: what the live tail reads from a real pipeline. Returns the key
 * (Debezium's `{"event_id": …}`) and the value as JSON text.
 */
export function changeEvent(options: ChangeEventOptions): { key: string; value: string; eventId: string } {
  const [generated] = generateOperation();
  const event = generated!;
  const eventId = options.eventId ?? event.eventId ?? randomUUID();
  const { index, now } = options;
  const created = new Date(now - 50).toISOString().replace("Z", "123Z");
  const padTo = options.payloadBytes ?? 420;
  const payload = JSON.stringify(event.payload);
  const row = {
    event_id: eventId,
    sequence_id: index,
    aggregate_id: event.aggregateId,
    aggregate_type: event.aggregateType,
    event_type: options.eventType ?? event.eventType,
    payload: JSON.stringify({ ...event.payload, note: "x".repeat(Math.max(0, padTo - payload.length)) }),
    status: "pending",
    retry_count: 0,
    created_at: created,
    updated_at: created,
    processed_at: null,
    last_error: null,
  };
  const value = JSON.stringify({
    before: null,
    after: row,
    source: {
      version: "3.6.1.Final",
      connector: "postgresql",
      name: "postgres",
      ts_ms: now - 20,
      snapshot: "false",
      db: "activity",
      sequence: `[null,"${26550232 + index}"]`,
      ts_us: (now - 20) * 1000,
      ts_ns: (now - 20) * 1_000_000,
      schema: "activity",
      table: "event_outbox",
      txId: 728 + index,
      lsn: 26550232 + index,
      xmin: null,
    },
    transaction: null,
    op: "c",
    ts_ms: now,
    ts_us: now * 1000,
    ts_ns: now * 1_000_000,
  });
  return { key: JSON.stringify({ event_id: eventId }), value, eventId };
}
