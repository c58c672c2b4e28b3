-- The seed pipeline's outbox table. An application inserts rows here in the same transaction as
-- its own changes; Debezium streams them to Kafka; the event processor writes the outcome back.
CREATE SCHEMA IF NOT EXISTS activity;

CREATE TABLE IF NOT EXISTS activity.event_outbox (
  event_id       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  sequence_id    bigserial   NOT NULL UNIQUE,
  aggregate_id   text        NOT NULL,
  aggregate_type text        NOT NULL,
  event_type     text        NOT NULL,
  payload        jsonb       NOT NULL,
  status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'failed')),
  retry_count    integer     NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  processed_at   timestamptz,
  last_error     text
);

-- Keyset paging by time with a unique tie-breaker.
CREATE INDEX IF NOT EXISTS event_outbox_created_idx ON activity.event_outbox (created_at, event_id);
CREATE INDEX IF NOT EXISTS event_outbox_aggregate_idx ON activity.event_outbox (aggregate_type, aggregate_id);
CREATE INDEX IF NOT EXISTS event_outbox_type_idx ON activity.event_outbox (event_type, created_at);
-- Partial indexes on the rare statuses: their counts and oldest-pending age stay cheap however big
-- the table grows, while the common "processed" count comes from planner estimates.
CREATE INDEX IF NOT EXISTS event_outbox_pending_idx ON activity.event_outbox (sequence_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS event_outbox_failed_idx ON activity.event_outbox (updated_at, event_id) WHERE status = 'failed';

-- Full row images in the WAL, so Debezium's update events carry `before` as well as `after`
-- (the processor and the inspector both read the old status).
ALTER TABLE activity.event_outbox REPLICA IDENTITY FULL;
