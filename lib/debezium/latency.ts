/**
 * The per-hop latencies of the outbox pipeline that one change record can give.
 *
 *   created_at ──outboxToKafka──▶ Kafka timestamp ──kafkaToProcessed──▶ processed_at
 *        │      source.ts_ms ──capture──▶ │
 *        └──────────────────── endToEnd ──────────────────────────────────▶ │
 *
 * Every hop subtracts clocks of different machines: the database's (created_at, processed_at,
 * source.ts_ms) and the Connect worker's (the Kafka record timestamp is its producer's CreateTime).
 * A negative result is clock skew between them. It is returned as it is, not clamped to 0 or
 * dropped, so the caller can count and flag skew instead of hiding it in the percentiles.
 * A hop is undefined when one of its inputs is missing or not a finite number.
 */
import type { ChangeRecord } from "./types";

export interface ChangeHops {
  /** Kafka timestamp − source.ts_ms: from the commit in PostgreSQL to the record in Kafka. */
  readonly captureMs: number | undefined;
  /** Kafka timestamp − created_at: from the application's insert to the record in Kafka. Creates only. */
  readonly outboxToKafkaMs: number | undefined;
}

const NO_CHANGE_HOPS: ChangeHops = Object.freeze({ captureMs: undefined, outboxToKafkaMs: undefined });

/**
 * The hops one change record measures. Snapshot reads measure none: their source.ts_ms is when
 * the snapshot read the row and their created_at may be days old, so either would pollute the
 * streaming latencies. outboxToKafkaMs is only for creates: an update's created_at is still the
 * original insert's, so the difference would be the row's age, not a hop.
 */
export function changeHops(record: ChangeRecord): ChangeHops {
  if (record.op === "r" || record.source?.isSnapshot === true) return NO_CHANGE_HOPS;
  return {
    captureMs: elapsed(record.source?.tsMs, record.timestamp),
    outboxToKafkaMs: record.op === "c" ? elapsed(record.outbox.createdAtMs, record.timestamp) : undefined,
  };
}

export interface ProcessedHopInputs {
  /** Kafka timestamp of the event's create record (the insert), epoch ms. */
  readonly insertKafkaTimestampMs?: number | undefined;
  /** The row's created_at, epoch ms. */
  readonly createdAtMs?: number | undefined;
  /** The row's processed_at, epoch ms, as written back by the consumer. */
  readonly processedAtMs?: number | undefined;
}

export interface ProcessedHops {
  /** processed_at − the insert's Kafka timestamp: from the record in Kafka to the consumer's outcome. */
  readonly kafkaToProcessedMs: number | undefined;
  /** processed_at − created_at: the whole pipeline, insert to outcome. */
  readonly endToEndMs: number | undefined;
}

/**
 * The hops that end at processing. Their inputs come from two records (the insert's Kafka
 * timestamp, and processed_at from the processor's update, or from the table), which the caller
 * pairs by event id.
 */
export function processedHops(input: ProcessedHopInputs): ProcessedHops {
  return {
    kafkaToProcessedMs: elapsed(input.insertKafkaTimestampMs, input.processedAtMs),
    endToEndMs: elapsed(input.createdAtMs, input.processedAtMs),
  };
}

/** `to − from`, or undefined when either is missing; negative results (skew) are kept. */
function elapsed(from: number | undefined, to: number | undefined): number | undefined {
  if (from === undefined || to === undefined || !Number.isFinite(from) || !Number.isFinite(to)) return undefined;
  return to - from;
}
