/**
 * Which records the live tail decodes. Every record is counted, indexed and tallied by op from a
 * byte scan (lib/debezium/scan.ts); the full decode (JSON.parse of the envelope and of its jsonb
 * columns) is what the tail cannot afford for every record at catch-up rates, so under pressure it
 * decodes a sample. DESIGN.md: under high rates the browser gets a sample plus exact counts,
 * never the firehose.
 *
 * The sample is chosen by a hash of the record key, so that all records of one key are in or out
 * together: an outbox event's insert and its processed write-back share the key {"event_id": …},
 * and the latency sink pairs them to measure Kafka → processed.
 */

/**
 * Records behind the partition's end (highWatermark − offset) above which the tail is catching up
 * and samples at the most. Live traffic read as it arrives keeps a fetch's worth behind at most
 * (512 KiB per partition ≈ 400 records of 1.3 KB); 5,000 is a backlog of seconds, not a fetch.
 */
export const SAMPLE_WHEN_BEHIND_RECORDS = 5_000;

/**
 * Records per second (all partitions of the tail) that are still decoded in full. The full decode
 * costs ~15-25 µs a record: 5,000 a second is about a tenth of a core, and is also more records
 * than a browser can show. Above it the tail decodes about this many a second.
 */
export const SAMPLE_ABOVE_RECORDS_PER_SEC = 5_000;

/** The sparsest sample: 1 record in 64 is still ~1,500 decoded records a second at 100,000/s. */
export const MAX_DECODE_EVERY = 64;

export interface TailPressure {
  /** highWatermark − offset of the batch being read. */
  behindRecords: number;
  /** The tail's recent read rate, records per second. */
  recordsPerSec: number;
}

/**
 * Decode 1 record in the returned number: 1 (all) at normal rates; {@link MAX_DECODE_EVERY} while
 * catching up; in between, enough to decode about {@link SAMPLE_ABOVE_RECORDS_PER_SEC} a second.
 * Always a power of two, so the keys sampled at a sparser rate are a subset of those sampled at a
 * denser one ({@link isSampled} keeps `hash mod K = 0`): when K falls between an event's insert
 * and its write-back, an event whose insert was sampled still has its write-back sampled.
 */
export function decodeEveryFor({ behindRecords, recordsPerSec }: TailPressure): number {
  if (behindRecords > SAMPLE_WHEN_BEHIND_RECORDS) return MAX_DECODE_EVERY;
  if (!(recordsPerSec > SAMPLE_ABOVE_RECORDS_PER_SEC)) return 1;
  const needed = Math.ceil(recordsPerSec / SAMPLE_ABOVE_RECORDS_PER_SEC);
  return Math.min(MAX_DECODE_EVERY, 2 ** Math.ceil(Math.log2(needed)));
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a (32 bits) of the key bytes, then murmur3's finalizer: FNV-1a alone leaves its low bits,
 * the ones `mod K` looks at, depending only on the low bits of the input bytes. Keys are tens of
 * bytes (a primary key), so this costs well under a microsecond.
 */
export function keyHash(key: Uint8Array): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key[i]!, FNV_PRIME);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Whether the tail decodes this record when decoding 1 in `decodeEvery` (a power of two). By key
 * hash; a record without a key has no partner to be paired with, and is sampled by offset.
 */
export function isSampled(key: Uint8Array | null, offset: number, decodeEvery: number): boolean {
  if (decodeEvery <= 1) return true;
  const mask = decodeEvery - 1;
  return ((key === null ? offset : keyHash(key)) & mask) === 0;
}

/**
 * Records per second over the current and the previous wall-clock second, for the rate half of
 * the pressure: it reacts within a second, where the dashboard's 10 s averages would keep the tail
 * sampling for ten seconds after a burst.
 */
export class RecentRate {
  #second = -1;
  #current = 0;
  #previous = 0;

  add(second: number, records: number): void {
    this.#roll(second);
    this.#current += records;
  }

  /**
   * The previous complete second's count, or the current second's when that is already higher:
   * a burst shows up as soon as it happens; a pause counts only once its second is complete.
   */
  perSecond(second: number): number {
    this.#roll(second);
    return Math.max(this.#previous, this.#current);
  }

  #roll(second: number): void {
    if (second === this.#second) return;
    this.#previous = second === this.#second + 1 ? this.#current : 0;
    this.#current = 0;
    this.#second = second;
  }
}
