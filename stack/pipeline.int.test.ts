// The real pipeline, end to end: a row inserted into the outbox table appears on the topic as a
// Debezium change event and is handled by the reference event processor, which writes the outcome
// back to the row. Runs against the test stack (stack/test-env.ts starts it when needed).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRecord } from "@/server/kafka/topic-reader";
import { createLogger } from "@/server/log";
import { stackConfig, stackEnv } from "./config";
import { inspect, up } from "./lifecycle";
import { waitUntil } from "./lib/proc";
import { insertEvents } from "./workload/run";
import { generateOperation } from "./workload/events";

const config = stackConfig({ profile: "test" });
const env = stackEnv(config);
const brokers = env.KAFKA_BROKERS!.split(",");
const logger = createLogger("test");
// Commit → topic → processed takes well under a second on an idle stack; the bound is generous for
// a loaded CI machine, and the test fails rather than hangs when the pipeline is broken.
const PIPELINE_TIMEOUT_MS = 30_000;

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  await pool.end();
});

interface Row {
  status: string;
  processed_at: Date | null;
  last_error: string | null;
}

async function awaitOutcome(eventId: string): Promise<Row> {
  return waitUntil(
    async () => {
      const { rows } = await pool.query<Row>(
        `SELECT status, processed_at, last_error FROM ${env.OUTBOX_TABLE} WHERE event_id = $1 AND status <> 'pending'`,
        [eventId],
      );
      return rows[0];
    },
    { timeoutMs: PIPELINE_TIMEOUT_MS, intervalMs: 100, what: `event ${eventId} to be handled` },
  );
}

function valueOf(record: { value: Buffer | null }): Record<string, unknown> | null {
  return record.value === null ? null : (JSON.parse(record.value.toString("utf8")) as Record<string, unknown>);
}

describe("the local pipeline", () => {
  it("streams an inserted outbox row to the topic as a Debezium envelope, and the processor marks it processed", async () => {
    const [event] = generateOperation();
    const sinceMs = Date.now() - 1_000;
    await insertEvents(pool, env.OUTBOX_TABLE!, [event!]);

    const record = await findRecord(
      { brokers, topic: env.OUTBOX_TOPIC!, sinceMs, timeoutMs: PIPELINE_TIMEOUT_MS, maxRecords: 100_000, logger },
      (r) => (valueOf(r)?.after as { event_id?: string } | undefined)?.event_id === event!.eventId,
    );
    const envelope = valueOf(record)!;
    expect(envelope.op).toBe("c");
    expect(envelope.before).toBeNull();
    const after = envelope.after as Record<string, unknown>;
    expect(after).toMatchObject({
      event_id: event!.eventId,
      aggregate_id: event!.aggregateId,
      aggregate_type: event!.aggregateType,
      event_type: event!.eventType,
      status: "pending",
      retry_count: 0,
    });
    // What Debezium really emits: jsonb as a JSON string, timestamptz as an ISO string.
    expect(typeof after.payload).toBe("string");
    expect(JSON.parse(after.payload as string)).toEqual(event!.payload);
    expect(after.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(envelope.source).toMatchObject({ connector: "postgresql", db: "activity", schema: "activity", table: "event_outbox" });
    expect(JSON.parse(record.key!.toString("utf8"))).toEqual({ event_id: event!.eventId });

    const row = await awaitOutcome(event!.eventId);
    expect(row.status).toBe("processed");
    expect(row.processed_at).toBeInstanceOf(Date);
    expect(row.last_error).toBeNull();

    // The write-back is itself a change event (op u) carrying the old and new status.
    const update = await findRecord(
      { brokers, topic: env.OUTBOX_TOPIC!, sinceMs, timeoutMs: PIPELINE_TIMEOUT_MS, maxRecords: 100_000, logger },
      (r) => {
        const v = valueOf(r);
        return v?.op === "u" && (v.after as { event_id?: string }).event_id === event!.eventId;
      },
    );
    const updated = valueOf(update)!;
    expect((updated.before as { status: string }).status).toBe("pending");
    expect((updated.after as { status: string }).status).toBe("processed");
    // Same key, same partition: the row's changes stay in order.
    expect(update.partition).toBe(record.partition);
  });

  it("records the processor's failure with its error, and handles a retry that sets the row back to pending", async () => {
    const eventId = randomUUID();
    const message = `Timeout after 3000 ms calling billing-service (${eventId.slice(0, 8)})`;
    await insertEvents(pool, env.OUTBOX_TABLE!, [
      { eventId, aggregateId: randomUUID(), aggregateType: "Payment", eventType: "PaymentCaptured", payload: { simulateFailure: message } },
    ]);
    const failed = await awaitOutcome(eventId);
    expect(failed.status).toBe("failed");
    expect(failed.last_error).toBe(message);
    expect(failed.processed_at).toBeNull();

    // A retry: the row goes back to pending with a payload that no longer fails.
    await pool.query(
      `UPDATE ${env.OUTBOX_TABLE} SET status = 'pending', retry_count = retry_count + 1, payload = '{"amountCents": 1200}', updated_at = now()
        WHERE event_id = $1`,
      [eventId],
    );
    const retried = await awaitOutcome(eventId);
    expect(retried.status).toBe("processed");
    const { rows } = await pool.query<{ retry_count: number }>(`SELECT retry_count FROM ${env.OUTBOX_TABLE} WHERE event_id = $1`, [eventId]);
    expect(rows[0]!.retry_count).toBe(1);
  });

  it("treats a second stack:up as harmless", async () => {
    const before = await inspect(config);
    const result = await up(config, () => undefined);
    expect(result.alreadyRunning).toBe(true);
    const after = await inspect(config);
    expect(after.healthy).toBe(true);
    expect(after.state?.services).toEqual(before.state?.services);
  });
});
