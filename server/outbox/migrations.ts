import { withPooledClient, type Pool } from "./db";
import { OWN_SCHEMA } from "./own-schema";
import { signatureExpression } from "./failure-groups";

/**
 * Outbox Lens's own schema, `outbox_lens`: the audit log and the per-batch record of which events
 * each action touched. Created and migrated at start-up, idempotently, under an advisory lock (two
 * dashboards starting together do not race). Nothing here touches the user's tables.
 */


// Each entry runs once, in order, in the transaction that records it. Never edit a released entry:
// add the next one.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE ${OWN_SCHEMA}.audit_log (
     id              bigserial   PRIMARY KEY,
     at              timestamptz NOT NULL DEFAULT clock_timestamp(),
     finished_at     timestamptz,
     -- Written by every batch of a running action: a running entry whose heartbeat is old belongs
     -- to a server that stopped mid-action.
     heartbeat_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
     actor           text        NOT NULL,
     actor_kind      text        NOT NULL,
     role            text        NOT NULL,
     action          text        NOT NULL,
     target          jsonb       NOT NULL,
     dry_run         boolean     NOT NULL DEFAULT false,
     reason          text,
     matched         bigint,
     changed         bigint      NOT NULL DEFAULT 0,
     skipped         bigint      NOT NULL DEFAULT 0,
     failed          bigint      NOT NULL DEFAULT 0,
     idempotency_key text,
     request_hash    text,
     outcome         text        NOT NULL,
     error           text,
     topic           text
   );
   CREATE UNIQUE INDEX audit_log_idempotency_idx ON ${OWN_SCHEMA}.audit_log (actor_kind, actor, action, idempotency_key) WHERE idempotency_key IS NOT NULL;
   CREATE INDEX audit_log_actor_idx ON ${OWN_SCHEMA}.audit_log (actor, id);
   CREATE INDEX audit_log_running_idx ON ${OWN_SCHEMA}.audit_log (id) WHERE outcome = 'running';
   -- Which events each batch of an action changed or produced: one row per batch (not per event),
   -- so recording costs little next to the batch itself; the GIN index finds an event's actions.
   CREATE TABLE ${OWN_SCHEMA}.audit_events (
     audit_id  bigint NOT NULL REFERENCES ${OWN_SCHEMA}.audit_log (id) ON DELETE CASCADE,
     batch     int    NOT NULL,
     event_ids text[] NOT NULL,
     PRIMARY KEY (audit_id, batch)
   );
   CREATE INDEX audit_events_ids_idx ON ${OWN_SCHEMA}.audit_events USING gin (event_ids);`,
  // What failure groups are made of (server/outbox/failure-groups.ts); IMMUTABLE so it can be indexed.
  `CREATE FUNCTION ${OWN_SCHEMA}.error_signature(error text) RETURNS text
     LANGUAGE sql IMMUTABLE PARALLEL SAFE
     AS $fn$ SELECT ${signatureExpression("error")} $fn$;`,
  // An event's trace finds the actions that name it in their target (retries and replays of
  // selected rows) by index, not by reading every entry's target (see audit.ts, touchedEvent).
  `CREATE INDEX audit_log_target_event_ids_idx ON ${OWN_SCHEMA}.audit_log USING gin ((target -> 'eventIds'));`,
  // Batch records are found by 64-bit hashes of their event ids (audit.ts, touchedEvent): a GIN
  // entry of a bigint costs a third of one of a text id (an integer comparison, not a collation's,
  // and 8 bytes, not ~40), and a replay records 2,000 ids a batch beside its reads. COST: hashing
  // a batch's ids is ~2,000 operations; at the default (100) the planner preferred reading every
  // record (detoasting each list, ~60 ms for 1,240 records) to the index (~0.3 ms).
  `CREATE FUNCTION ${OWN_SCHEMA}.event_keys(ids text[]) RETURNS bigint[]
     LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 2000
     AS $fn$ SELECT ARRAY(SELECT pg_catalog.hashtextextended(id, 0) FROM pg_catalog.unnest(ids) AS id) $fn$;
   CREATE INDEX audit_events_keys_idx ON ${OWN_SCHEMA}.audit_events USING gin (${OWN_SCHEMA}.event_keys(event_ids));
   DROP INDEX ${OWN_SCHEMA}.audit_events_ids_idx;`,
];

/** Applies the migrations not applied yet; returns how many ran. */
export async function migrateOwnSchema(pool: Pool): Promise<number> {
  return withPooledClient(pool, async (client) => {
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${OWN_SCHEMA}.migrations`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${OWN_SCHEMA}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${OWN_SCHEMA}.migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = await client.query<{ version: number }>(`SELECT coalesce(max(version), 0)::int AS version FROM ${OWN_SCHEMA}.migrations`);
      const current = applied.rows[0]?.version ?? 0;
      let ran = 0;
      for (let version = current + 1; version <= MIGRATIONS.length; version++) {
        await client.query(MIGRATIONS[version - 1]!);
        await client.query(`INSERT INTO ${OWN_SCHEMA}.migrations (version) VALUES ($1)`, [version]);
        ran++;
      }
      await client.query("COMMIT");
      return ran;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}
