/**
 * The latest records of one partition, for the Messages page's live samples: under high rates the
 * browser gets a sample from here plus exact counts, never the firehose.
 *
 * Bounded twice: by count, and by an estimate of the memory the records keep, because one record
 * can keep up to the decoder's preview (64 KiB by default) where a typical outbox event keeps 1-2 KiB.
 */

/** Records kept per partition: a full page of samples per partition, refreshed every second. */
export const RECENT_RECORDS_PER_PARTITION = 100;

/**
 * Estimated bytes kept per partition: 100 typical events fit many times over, while a burst of
 * megabyte records (each kept as a 64 KiB preview) cannot pin more than this per partition.
 */
export const RECENT_RECORDS_MAX_BYTES_PER_PARTITION = 2 * 1024 * 1024;

export class RecentRecords<T> {
  readonly #capacity: number;
  readonly #maxBytes: number;
  readonly #items: (T | undefined)[];
  readonly #sizes: Float64Array;
  #head = 0;
  #count = 0;
  #bytes = 0;

  constructor(capacity = RECENT_RECORDS_PER_PARTITION, maxBytes = RECENT_RECORDS_MAX_BYTES_PER_PARTITION) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    this.#maxBytes = maxBytes;
    this.#items = new Array<T | undefined>(capacity);
    this.#sizes = new Float64Array(capacity);
  }

  get length(): number {
    return this.#count;
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Adds the newest record, dropping the oldest ones beyond the count or the byte budget (the newest is always kept). */
  push(item: T, estimatedBytes: number): void {
    if (this.#count === this.#capacity) this.#dropOldest();
    const slot = (this.#head + this.#count) % this.#capacity;
    this.#items[slot] = item;
    this.#sizes[slot] = estimatedBytes;
    this.#count += 1;
    this.#bytes += estimatedBytes;
    while (this.#bytes > this.#maxBytes && this.#count > 1) this.#dropOldest();
  }

  /** Up to `limit` of the newest records, oldest first. */
  latest(limit = this.#capacity): T[] {
    const taken = Math.max(0, Math.min(limit, this.#count));
    const result: T[] = [];
    for (let i = this.#count - taken; i < this.#count; i++) result.push(this.#items[(this.#head + i) % this.#capacity] as T);
    return result;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#head = 0;
    this.#count = 0;
    this.#bytes = 0;
  }

  #dropOldest(): void {
    this.#bytes -= this.#sizes[this.#head]!;
    // Release the reference so the record can be collected.
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#capacity;
    this.#count -= 1;
  }
}
