/**
 * Per-partition offset → Kafka timestamp index, kept by the tail so the offset poller can turn a
 * consumer group's committed offset into a time lag ("the oldest unconsumed record is 42 s old")
 * without reading the topic again.
 *
 * The index is sparse: it records an entry only when a record's timestamp differs by at least
 * {@link INDEX_RESOLUTION_MS} from the last entry's. Every record between two entries therefore has
 * a timestamp within that distance of the entry before it, so answering with that entry's timestamp
 * is wrong by less than the resolution, whatever the rate, and whether or not the producer's clock
 * (CreateTime, the Connect worker's) ever steps back. At steady traffic this is at most ten entries
 * per second of topic time, independent of the message rate.
 */

/** The promised precision of {@link OffsetTimestampIndex.timestampAt}. */
export const INDEX_RESOLUTION_MS = 100;

/**
 * Entries kept per partition: at one entry per {@link INDEX_RESOLUTION_MS} of topic time this covers
 * 16,384 × 100 ms ≈ 27 minutes, above the 15 minutes of history the dashboard shows, at any message
 * rate. 16 bytes an entry: 256 KiB per partition at most.
 */
export const INDEX_MAX_ENTRIES = 16_384;

/**
 * An index of one partition. Offsets are JavaScript numbers: exact up to 2^53, which a partition
 * does not reach (a million records a second for 285 years).
 */
export class OffsetTimestampIndex {
  readonly #capacity: number;
  readonly #resolutionMs: number;
  readonly #offsets: Float64Array;
  readonly #timestamps: Float64Array;
  /** Position of the oldest entry in the circular arrays. */
  #head = 0;
  #size = 0;
  /** The last offset recorded (the newest record the tail has seen); -1 when none. */
  #lastOffset = -1;

  constructor(capacity = INDEX_MAX_ENTRIES, resolutionMs = INDEX_RESOLUTION_MS) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`);
    this.#capacity = capacity;
    this.#resolutionMs = resolutionMs;
    this.#offsets = new Float64Array(capacity);
    this.#timestamps = new Float64Array(capacity);
  }

  /** Entries held (for tests and diagnostics). */
  get size(): number {
    return this.#size;
  }

  /** The lowest offset the index answers for, or undefined when empty. */
  get firstOffset(): number | undefined {
    return this.#size === 0 ? undefined : this.#offsets[this.#head];
  }

  /** The newest offset recorded, or undefined when empty. */
  get lastOffset(): number | undefined {
    return this.#size === 0 ? undefined : this.#lastOffset;
  }

  /**
   * Records one record, in offset order. A record whose offset is not above the last one recorded
   * means the partition was reset underneath the tail (topic recreated, the tail seeking back):
   * the index starts over rather than answer from a history that no longer holds.
   */
  record(offset: number, timestamp: number): void {
    if (this.#size > 0 && offset <= this.#lastOffset) this.clear();
    if (this.#size === 0) {
      this.#append(offset, timestamp);
    } else if (offset > this.#lastOffset + 1) {
      // A gap: records removed by compaction, transaction markers, or records the tail skipped
      // (reset to the end after an outage). A committed offset inside the gap points at the next
      // record that exists, this one, so the gap's first offset takes this record's timestamp.
      // One entry covers the gap and the record itself.
      this.#append(this.#lastOffset + 1, timestamp);
    } else if (Math.abs(timestamp - this.#newestTimestamp()) >= this.#resolutionMs) {
      this.#append(offset, timestamp);
    }
    this.#lastOffset = offset;
  }

  /**
   * The Kafka timestamp of the record at `offset`, within the resolution, or undefined when the
   * offset is outside what the index covers (older than its first entry, or newer than the last
   * record seen).
   */
  timestampAt(offset: number): number | undefined {
    if (this.#size === 0 || !Number.isFinite(offset) || offset > this.#lastOffset) return undefined;
    // Binary search for the last entry at or before `offset`, in logical (oldest-first) order.
    let low = 0;
    let high = this.#size - 1;
    if (offset < this.#offsetAt(0)) return undefined;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.#offsetAt(middle) <= offset) low = middle;
      else high = middle - 1;
    }
    return this.#timestamps[(this.#head + low) % this.#capacity];
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
    this.#lastOffset = -1;
  }

  #offsetAt(logicalIndex: number): number {
    return this.#offsets[(this.#head + logicalIndex) % this.#capacity]!;
  }

  #newestTimestamp(): number {
    return this.#timestamps[(this.#head + this.#size - 1) % this.#capacity]!;
  }

  #append(offset: number, timestamp: number): void {
    let slot: number;
    if (this.#size < this.#capacity) {
      slot = (this.#head + this.#size) % this.#capacity;
      this.#size += 1;
    } else {
      // Full: the oldest entry goes, and with it the oldest offsets the index answers for.
      slot = this.#head;
      this.#head = (this.#head + 1) % this.#capacity;
    }
    this.#offsets[slot] = offset;
    this.#timestamps[slot] = timestamp;
  }
}
