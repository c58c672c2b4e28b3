import { byteLength } from "./fast-record-encoder";
import { keyedPartition } from "./partitioner";

/**
 * How a replay's batch of records is cut into produce requests the broker accepts. Kafka refuses a
 * partition's record batch larger than the topic's `max.message.bytes` (1 MiB by default) with
 * MESSAGE_TOO_LARGE, and a produce request carries one record batch per partition: 2,000 records
 * of 700 bytes for a topic of one partition are 1.4 MB, refused whole. So each record's partition
 * is decided here (Kafka's partitioner, as KafkaJS's producer would decide it: murmur2 of the key,
 * round-robin without one), and the batch is cut, in order, where a partition's share would pass
 * the limit or the request would pass {@link REPLAY_REQUEST_MAX_BYTES}. Records of one partition
 * stay in their order across the requests, which are sent one after the other.
 */

/**
 * A produce request's records hold at most this many bytes: one request is in memory at a time,
 * and a broker refuses requests over its socket.request.max.bytes (100 MiB by default).
 */
export const REPLAY_REQUEST_MAX_BYTES = 16 * 1024 * 1024;
/** A v2 record batch's header: base offset, length, epoch, magic, CRC, attributes, deltas, times, producer ids, count. */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;
/**
 * A record's bytes besides its key, value and header names and values, at most: its length,
 * attributes, timestamp delta (a varlong, up to 10 bytes), offset delta, key and value lengths and
 * header count as varints of up to 5 bytes each.
 */
const RECORD_OVERHEAD_BYTES = 5 + 1 + 10 + 5 + 5 + 5 + 5;
/** Each header's name and value lengths, varints of up to 5 bytes each. */
const HEADER_OVERHEAD_BYTES = 10;

/** A record to produce (again). */
export interface ReplayRecord {
  /** Text, or the bytes of a record produced again as it was. */
  key: string | Buffer | null;
  /** Null produces a tombstone. */
  value: string | Buffer | null;
  headers: Record<string, string | Buffer>;
}

export interface PlannedRequest {
  /** The records [from, to) of the batch. */
  from: number;
  to: number;
}

/** A record that no request can carry: alone, its batch is larger than the topic accepts. */
export class RecordTooLargeError extends Error {
  constructor(
    readonly index: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`a record of ${bytes} bytes (in its record batch) is larger than the topic accepts: max.message.bytes is ${limit}`);
    this.name = "RecordTooLargeError";
  }
}

const bytesOf = (data: Buffer | string | null): number => (data === null ? 0 : byteLength(data));

/** The most bytes a record can take in a v2 record batch. */
function recordBytesAtMost(record: ReplayRecord, headerBytes = headersBytesAtMost(record.headers)): number {
  return RECORD_OVERHEAD_BYTES + bytesOf(record.key) + bytesOf(record.value) + headerBytes;
}

function headersBytesAtMost(headers: Record<string, string | Buffer>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) bytes += HEADER_OVERHEAD_BYTES + byteLength(name) + byteLength(value);
  return bytes;
}

/**
 * Gives each record its partition (writing it to `partitions[i]`) and cuts the batch into requests
 * in which no partition's record batch passes `maxBatchBytes` and no request passes
 * `maxRequestBytes`. `nextUnkeyed` gives the partition of a record without a key. Throws
 * {@link RecordTooLargeError} for a record too large to send at all.
 */
export function planReplayRequests(
  records: readonly ReplayRecord[],
  partitionCount: number,
  maxBatchBytes: number,
  nextUnkeyed: () => number,
  partitions: number[],
  maxRequestBytes = REPLAY_REQUEST_MAX_BYTES,
): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  const batchBytes = new Array<number>(partitionCount).fill(0);
  let from = 0;
  let requestBytes = 0;
  // Records of one replay share their headers object: measured once.
  let headers: Record<string, string | Buffer> | null = null;
  let headerBytes = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.headers !== headers) {
      headers = record.headers;
      headerBytes = headersBytesAtMost(headers);
    }
    const bytes = recordBytesAtMost(record, headerBytes);
    if (bytes + RECORD_BATCH_OVERHEAD_BYTES > Math.min(maxBatchBytes, maxRequestBytes)) throw new RecordTooLargeError(i, bytes + RECORD_BATCH_OVERHEAD_BYTES, maxBatchBytes);
    const key = record.key;
    const partition = key === null ? nextUnkeyed() : keyedPartition(key, partitionCount);
    partitions[i] = partition;
    const added = bytes + (batchBytes[partition] === 0 ? RECORD_BATCH_OVERHEAD_BYTES : 0);
    if (batchBytes[partition]! + added > maxBatchBytes || requestBytes + added > maxRequestBytes) {
      requests.push({ from, to: i });
      batchBytes.fill(0);
      from = i;
      batchBytes[partition] = requestBytes = bytes + RECORD_BATCH_OVERHEAD_BYTES;
      continue;
    }
    batchBytes[partition]! += added;
    requestBytes += added;
  }
  if (records.length > from) requests.push({ from, to: records.length });
  return requests;
}
