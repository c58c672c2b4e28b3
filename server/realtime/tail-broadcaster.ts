import { TAIL_BATCHES_PER_SECOND, TAIL_BATCH_MAX_RECORDS, type TailBatch, type TailRecordSummary } from "@/lib/contracts/tail";
import type { DecodedRecord } from "@/lib/debezium";
import { summarizeRecord } from "./tail-summary";

/** Shortest time between two batches. */
export const TAIL_BATCH_INTERVAL_MS = Math.ceil(1_000 / TAIL_BATCHES_PER_SECOND);

export interface TailBroadcasterOptions {
  /** Sends a batch to every subscribed client (a client that is behind skips it). */
  send: (batch: TailBatch) => void;
  /** Whether anyone is subscribed; with no one, records are not even summarised. */
  hasSubscribers: () => boolean;
  /** Records the tail has read in all (its exact count, sampled or not): for "showing n of m". */
  recordsRead: () => number;
  /** The topic's incoming rate now, records a second (all records, sampled or not). */
  recordsPerSecond?: () => number;
  intervalMs?: number;
  now?: () => number;
}

/**
 * Turns the tail's records into at most {@link TAIL_BATCHES_PER_SECOND} batches a second of the
 * newest {@link TAIL_BATCH_MAX_RECORDS} summaries. Memory is bounded by that many summaries
 * whatever the rate: older pending ones are dropped (the batch says how many were read).
 *
 * Latency: when no batch went out for an interval, a record is sent at the end of the current
 * tick (after the rest of its Kafka batch is handled), so a quiet topic's records reach the
 * browser within milliseconds; under load, batches leave every interval with the newest records,
 * so the records a browser is shown are at most an interval old when sent.
 */
export class TailBroadcaster {
  readonly #send: (batch: TailBatch) => void;
  readonly #hasSubscribers: () => boolean;
  readonly #recordsRead: () => number;
  readonly #recordsPerSecond: () => number;
  readonly #intervalMs: number;
  readonly #now: () => number;

  /** Newest last; never more than TAIL_BATCH_MAX_RECORDS. */
  #pending: TailRecordSummary[] = [];
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #readAtLastSend: number | null = null;
  /** Records accepted (passed the subscribers' filter) since the last batch. */
  #matched = 0;
  /** Records the tail decoded and offered since the last batch, matching or not. */
  #decoded = 0;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #stopped = false;

  constructor(options: TailBroadcasterOptions) {
    this.#send = options.send;
    this.#hasSubscribers = options.hasSubscribers;
    this.#recordsRead = options.recordsRead;
    this.#recordsPerSecond = options.recordsPerSecond ?? (() => 0);
    this.#intervalMs = options.intervalMs ?? TAIL_BATCH_INTERVAL_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A tail sink: cheap when nobody listens, one small object per matching record when someone
   * does. `matched` says whether the record passed the subscribers' filter; the others are counted
   * only, to scale the matches up to what was read when the tail decodes a sample.
   */
  readonly accept = (record: DecodedRecord, receivedAt: number, matched = true): void => {
    if (this.#stopped) return;
    if (!this.#hasSubscribers()) {
      // The next subscriber's first batch must not count what was read while nobody listened.
      this.#readAtLastSend = null;
      this.#matched = 0;
      this.#decoded = 0;
      return;
    }
    // Counting starts with the first record a subscriber could see: the tail adds a Kafka batch to
    // its count after handing its records to sinks, so this is the count just before this one.
    this.#readAtLastSend ??= this.#recordsRead();
    this.#decoded += 1;
    if (!matched) return;
    this.#matched += 1;
    if (this.#pending.length >= TAIL_BATCH_MAX_RECORDS) this.#pending.shift();
    this.#pending.push(summarizeRecord(record, receivedAt));
    this.#schedule();
  };

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    this.#pending = [];
  }

  #schedule(): void {
    if (this.#timer || this.#immediate) return;
    const wait = this.#lastSentAt + this.#intervalMs - this.#now();
    if (wait <= 0) this.#immediate = setImmediate(this.#flush);
    else this.#timer = setTimeout(this.#flush, wait);
  }

  readonly #flush = (): void => {
    this.#timer = null;
    this.#immediate = null;
    if (this.#stopped || this.#pending.length === 0) return;
    const records = this.#pending.reverse();
    this.#pending = [];
    const read = this.#recordsRead();
    const readSinceLast = Math.max(records.length, read - (this.#readAtLastSend ?? read));
    // Under pressure the tail decodes a sample of what it reads (chosen by key hash): the share of
    // the sample that matched stands for the share of everything read. Without a filter every
    // decoded record matches, so this is the exact count read.
    const matchedSinceLast = readSinceLast > this.#decoded && this.#decoded > 0 ? Math.round((this.#matched * readSinceLast) / this.#decoded) : this.#matched;
    this.#matched = 0;
    this.#decoded = 0;
    this.#readAtLastSend = read;
    this.#lastSentAt = this.#now();
    this.#send({ records, readSinceLast: Math.max(readSinceLast, matchedSinceLast), matchedSinceLast, recordsPerSecond: this.#recordsPerSecond(), sentAt: this.#lastSentAt });
  };
}
