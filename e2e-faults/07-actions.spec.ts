import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { MESSAGES_API } from "@/lib/contracts/messages";
import { OUTBOX_API, type ActionProgress } from "@/lib/contracts/outbox";
import { REPLAY_BATCH_ROWS } from "@/server/outbox/actions";
import { bouncePostgres, crashKafka, restartKafka } from "@/stack/faults";
import { bearer } from "../e2e/lib/stack-auth";
import { config, env, pool } from "./pipeline";

/**
 * Scenario 7, operator actions under faults: a bulk retry while PostgreSQL restarts and a replay
 * while the broker crashes. What each action reports equals what was committed (retry) or at most
 * what Kafka holds (replay: an acknowledgement lost in the crash may leave a record Kafka wrote but
 * the action could not count); the audit entry says the same; and a client retry with the same
 * idempotency key applies nothing twice.
 */

const ROWS = 6_000;
const operator = bearer("operator");
const db = pool();
test.afterAll(async () => {
  await db.end();
});

async function seed(status: "failed" | "processed", eventType: string): Promise<void> {
  await db.query(
    `INSERT INTO ${env.OUTBOX_TABLE} (aggregate_id, aggregate_type, event_type, payload, status, last_error)
     SELECT 'f-' || i, 'User', $1, jsonb_build_object('i', i), $2, CASE WHEN $2 = 'failed' THEN 'boom ' || i END FROM generate_series(1, $3) AS i`,
    [eventType, status, ROWS],
  );
}

/** The action's audit entry; while PostgreSQL is still away, the server's answer (a 503 naming it) instead. */
async function auditEntry(request: APIRequestContext, action: string, id: number): Promise<unknown> {
  const response = await request.get(`/api/audit?action=${action}&limit=50`, { headers: operator });
  const body = (await response.json()) as { entries?: { id: number; changed: number; outcome: string }[]; error?: string };
  if (!response.ok()) return { status: response.status(), error: body.error };
  return body.entries?.find((entry) => entry.id === id) ?? null;
}

async function finished(request: APIRequestContext, actionId: number): Promise<ActionProgress> {
  let progress: ActionProgress | undefined;
  await expect
    .poll(async () => {
      progress = (await (await request.get(`${OUTBOX_API.action(actionId)}`, { headers: operator })).json()) as ActionProgress;
      return progress.state;
    }, { timeout: 120_000, intervals: [250] })
    .not.toBe("running");
  return progress!;
}

test("a bulk retry across a PostgreSQL restart reports what committed, once", async ({ request }) => {
  const eventType = `FaultRetry${randomUUID().slice(0, 8)}`;
  await seed("failed", eventType);
  const body = { filter: { status: "failed", eventType }, reason: "retry under a restart", idempotencyKey: `retry-${randomUUID()}`, confirmCount: ROWS, rowsPerSecond: 500 };
  const started = (await (await request.post(OUTBOX_API.retry, { headers: operator, data: body })).json()) as ActionProgress;
  expect(started.matched).toBe(ROWS);
  await expect.poll(async () => ((await (await request.get(OUTBOX_API.action(started.actionId), { headers: operator })).json()) as ActionProgress).done, { timeout: 10_000 }).toBeGreaterThan(0);
  bouncePostgres(config);
  const final = await finished(request, started.actionId);

  const changed = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${env.OUTBOX_TABLE} WHERE event_type = $1 AND retry_count = 1`, [eventType])).rows[0]!.n;
  expect(final.done).toBe(changed);
  expect(final.done + final.failed + final.skipped).toBeLessThanOrEqual(ROWS);
  // The audit entry is closed once PostgreSQL is back (the server retries closing it).
  await expect.poll(() => auditEntry(request, "outbox:retry", started.actionId), { timeout: 30_000 }).toMatchObject({ changed, outcome: final.state });

  // The client did not see the answer and sends the same request again: nothing is applied twice.
  const again = (await (await request.post(OUTBOX_API.retry, { headers: operator, data: body })).json()) as ActionProgress;
  expect(again).toMatchObject({ duplicate: true, actionId: started.actionId });
  const twice = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${env.OUTBOX_TABLE} WHERE event_type = $1 AND retry_count > 1`, [eventType])).rows[0]!.n;
  expect(twice).toBe(0);
});

test("a replay across a broker crash reports only what Kafka acknowledged", async ({ request }) => {
  const eventType = `FaultReplay${randomUUID().slice(0, 8)}`;
  await seed("processed", eventType);
  const body = { filter: { eventType }, reason: "replay under a crash", idempotencyKey: `replay-${randomUUID()}`, confirmCount: ROWS, rowsPerSecond: 500 };
  const started = (await (await request.post(OUTBOX_API.replay, { headers: operator, data: body })).json()) as ActionProgress;
  expect(started.matched).toBe(ROWS);
  await expect.poll(async () => ((await (await request.get(OUTBOX_API.action(started.actionId), { headers: operator })).json()) as ActionProgress).done, { timeout: 10_000 }).toBeGreaterThan(0);
  await crashKafka(config);
  const final = await finished(request, started.actionId);
  await restartKafka(config);

  // What the topic holds with this action's x-replay-id, counted by an export of the whole topic.
  const onTopic = async () => {
    const filter = encodeURIComponent(JSON.stringify({ header: { name: "x-replay-id", value: String(started.actionId) } }));
    const exported = await request.get(`${MESSAGES_API.export}?format=csv&limit=100000&filter=${filter}`, { headers: operator, timeout: 120_000 });
    expect(exported.status(), await exported.text()).toBe(200);
    return (await exported.text()).trim().split("\r\n").length - 1;
  };
  // Asked as soon as the broker is back: the server's connections from before the crash are
  // stale, and a read must reconnect rather than answer 503.
  const written = await onTopic();
  expect(final.done).toBeGreaterThan(0);
  expect(final.done).toBeLessThanOrEqual(written);
  // At most the batch in flight when the broker died was written without its acknowledgement.
  expect(written - final.done).toBeLessThanOrEqual(REPLAY_BATCH_ROWS);
  await expect.poll(() => auditEntry(request, "outbox:replay", started.actionId), { timeout: 30_000 }).toMatchObject({ changed: final.done, outcome: final.state });

  const again = (await (await request.post(OUTBOX_API.replay, { headers: operator, data: body })).json()) as ActionProgress;
  expect(again).toMatchObject({ duplicate: true, actionId: started.actionId });
  expect(await onTopic()).toBe(written);
});
