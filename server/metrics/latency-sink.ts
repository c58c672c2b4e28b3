import { changeHops, processedHops, type DecodedRecord, type OutboxColumnMapping } from "@/lib/debezium";
import type { Hop } from "@/lib/contracts/metrics";

/**
 * Turns the change records the tail reads into latency samples for every hop, using only what the
 * topic carries:
 *  - a create (or an update that sets a row back to pending: a retry) gives capture and
 *    outbox → Kafka, and its Kafka timestamp is remembered by event id;
 *  - the processor's write-back (an update to the processed status, with processed_at) gives
 *    end to end (processed_at − created_at) and, paired with the remembered timestamp,
 *    Kafka → processed;
 *  - a write-back to the failed status ends the pairing too: the event is processed only after a
 *    retry, whose own record (an update back to pending) is remembered afresh. Kept, the failed
 *    events' ids would fill the map at the failure rate (2 % of 2,000 events/s is 72,000 ids in
 *    half an hour) until MAX_PENDING_EVENTS.
 * No database query is needed, so the hops cost nothing per event beyond the decode.
 */

// Pairs an insert with its write-back. 200,000 ids cover 40 s of backlog at 5,000 events/s (or hours
// at demo rates) in about 20 MB; a write-back whose insert has been forgotten still gives end to
// end, only Kafka → processed is skipped for it (counted in `unpaired`).
export const MAX_PENDING_EVENTS = 200_000;
/**
 * When the map is full, this many of its oldest entries go at once. Evicting one per insert would
 * cost a walk over every entry deleted before it: V8 keeps deleted entries at a Map's start until
 * it rehashes, and `keys().next()` steps over them each time (at 5,000 events/s with no
 * write-backs, that walk took most of the server's CPU).
 */
export const EVICTION_BATCH = 10_000;

export interface LatencySampleSink {
  record(hop: Hop, eventType: string, valueMs: number, atMs: number): void;
}

export interface LatencySinkOptions {
  pendingStatus: string;
  processedStatus: string;
  failedStatus: string;
  /** The outbox table's column names, as given to the decoder. */
  columns: OutboxColumnMapping;
}

/** The header replays carry (server/outbox/actions.ts). */
export const REPLAY_ID_HEADER = "x-replay-id";

export class PipelineLatencySink {
  /** event id → Kafka timestamp of the record that made it pending. Insertion-ordered: oldest first. */
  readonly #insertTimestamps = new Map<string, number>();
  #unpaired = 0;

  constructor(
    private readonly sink: LatencySampleSink,
    private readonly options: LatencySinkOptions,
  ) {}

  /** Write-backs whose insert was not seen (before the tail started, or forgotten). */
  get unpaired(): number {
    return this.#unpaired;
  }

  get tracked(): number {
    return this.#insertTimestamps.size;
  }

  /**
   * @param receivedAt when the tail read the record (this server's clock): samples are placed in
   * the windows by it, so the windows move with the same clock as the snapshots that read them.
   */
  accept(record: DecodedRecord, receivedAt: number): void {
    if (record.kind !== "change") return;
    // A replay re-produces an old event: its record says nothing about the pipeline's latency.
    if (record.headers.some((header) => header.key === REPLAY_ID_HEADER)) return;
    const { outbox } = record;
    const eventType = outbox.eventType ?? "unknown";
    const at = receivedAt;
    if (outbox.status === this.options.pendingStatus && (record.op === "c" || record.op === "u")) {
      const hops = changeHops(record);
      if (hops.captureMs !== undefined) this.sink.record("capture", eventType, hops.captureMs, at);
      // Only an insert measures created_at → Kafka; a retry (an update back to pending) would
      // measure the time since the row was first created.
      if (hops.outboxToKafkaMs !== undefined && record.op === "c") this.sink.record("outboxToKafka", eventType, hops.outboxToKafkaMs, at);
      if (outbox.eventId !== undefined) this.#remember(outbox.eventId, record.timestamp);
      return;
    }
    if (record.op === "u" && outbox.status === this.options.failedStatus) {
      if (outbox.eventId !== undefined) this.#insertTimestamps.delete(outbox.eventId);
      return;
    }
    if (record.op === "u" && outbox.status === this.options.processedStatus) {
      // With REPLICA IDENTITY FULL an update that leaves the status processed (some other column
      // changed) is not a new outcome; with the default identity `before` is absent and every
      // update to processed is taken as one (the processor writes each outcome once).
      const beforeStatus = record.before?.[this.options.columns.status];
      if (beforeStatus === this.options.processedStatus) return;
      const insertTs = outbox.eventId === undefined ? undefined : this.#insertTimestamps.get(outbox.eventId);
      if (outbox.eventId !== undefined) this.#insertTimestamps.delete(outbox.eventId);
      if (insertTs === undefined) this.#unpaired += 1;
      const hops = processedHops({ insertKafkaTimestampMs: insertTs, createdAtMs: outbox.createdAtMs, processedAtMs: outbox.processedAtMs });
      if (hops.kafkaToProcessedMs !== undefined) this.sink.record("kafkaToProcessed", eventType, hops.kafkaToProcessedMs, at);
      if (hops.endToEndMs !== undefined) this.sink.record("endToEnd", eventType, hops.endToEndMs, at);
    }
  }

  #remember(eventId: string, timestamp: number): void {
    // Re-inserting moves a retried event to the young end of the map.
    this.#insertTimestamps.delete(eventId);
    this.#insertTimestamps.set(eventId, timestamp);
    if (this.#insertTimestamps.size > MAX_PENDING_EVENTS) {
      let evict = EVICTION_BATCH;
      for (const oldest of this.#insertTimestamps.keys()) {
        this.#insertTimestamps.delete(oldest);
        if (--evict === 0) break;
      }
    }
  }
}
