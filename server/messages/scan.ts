import { maskFieldSet } from "@/lib/auth/mask";
import type { MessageFilter } from "@/lib/contracts/message-filter";
import type { SearchStopReason, StartPosition } from "@/lib/contracts/messages";
import type { DecodedRecord, RawKafkaRecord } from "@/lib/debezium";
import { compileMessageFilter } from "@/lib/messages/filter";
import { planPage, type OffsetRange } from "@/lib/messages/pages";
import { RequestError } from "@/server/http/request-error";
import { kafkaFailure, toRawRecord, type MessageReader } from "./reader";
import { maskRecord } from "./view";

/**
 * A bounded scan of a topic range with a structured filter: what a search and an export run. It
 * reads the range partition by partition leader (PartitionFetcher), rejects records from their
 * bytes where the filter can (an exact value absent from the bytes), decodes the rest, masks them
 * for the reader, and tests the filter on what the reader may see, so a masked field can neither
 * be shown nor probed. It stops at the range's end, a limit, the deadline or a cancel, and says which.
 */

export interface ScanRange {
  topic: string;
  ranges: OffsetRange[];
  /** Records in the ranges when the scan was planned. */
  rangeTotal: number;
}

export interface ScanRangeSpec {
  topic?: string;
  /** Default: all. */
  partitions?: readonly number[] | "all";
  from: StartPosition;
  /** "end" (as it is now) or an ISO time. */
  to: string;
}

/** Resolves a range to offsets: start per `from`, end at the partition's end now or at the first record after `to`. */
export async function planScanRange(reader: MessageReader, spec: ScanRangeSpec): Promise<ScanRange> {
  const topic = reader.resolveTopic(spec.topic);
  const marks = await reader.partitionWatermarks(topic, spec.partitions ?? "all");
  if (spec.from.kind === "offset" && marks.length !== 1) throw new RequestError(422, "from: an offset needs exactly one partition");
  const timeOffsets = spec.from.kind === "time" ? await reader.timeOffsets(topic, spec.from.timeMs) : undefined;
  const plan = planPage({ from: spec.from, dir: "forward", limit: Number.POSITIVE_INFINITY, watermarks: marks, timeOffsets });
  let ranges = plan.ranges;
  if (spec.to !== "end") {
    const ends = await reader.timeOffsets(topic, Date.parse(spec.to));
    ranges = ranges.map((range) => {
      const end = ends.get(range.partition);
      return end === undefined || end < 0 ? range : { ...range, end: Math.max(range.start, Math.min(range.end, end)) };
    });
  }
  return { topic, ranges, rangeTotal: ranges.reduce((sum, range) => sum + (range.end - range.start), 0) };
}

export interface ScanState {
  scanned: number;
  matched: number;
  /** Records fetched from Kafka, inside the range or not (the over-read is fetched − scanned). */
  fetched: number;
  /** Next offset to read per partition. */
  positions: Map<number, number>;
}

export interface ScanOptions {
  filter: MessageFilter;
  /** Fields masked for the reader: the filter sees the masked record. */
  maskFields: readonly string[];
  maxScanned: number;
  maxMatches: number;
  deadline: number;
  signal?: AbortSignal;
  /** Each match; a returned promise is awaited (an export's backpressure). */
  onMatch: (record: DecodedRecord, raw: RawKafkaRecord) => void | Promise<void>;
  /** Updated as the scan goes, for progress. */
  state?: ScanState;
}

export function newScanState(range: ScanRange): ScanState {
  return { scanned: 0, matched: 0, fetched: 0, positions: new Map(range.ranges.map((r) => [r.partition, r.start])) };
}

/** Runs the scan; resolves with why it stopped. Kafka failures reject (as RequestError 503/404). */
export async function runScan(reader: MessageReader, range: ScanRange, options: ScanOptions): Promise<SearchStopReason> {
  const state = options.state ?? newScanState(range);
  const filter = compileMessageFilter(options.filter);
  const fields = maskFieldSet(options.maskFields);
  const masking = fields.size > 0;
  let limit: SearchStopReason | null = null;
  const { topic } = range;
  try {
    const result = await reader.fetcher.read({
      topic,
      ranges: range.ranges,
      signal: options.signal,
      deadline: options.deadline,
      onMessages: async (partition, messages) => {
        for (const message of messages) {
          state.scanned += 1;
          state.positions.set(partition, Number(message.offset) + 1);
          const raw = toRawRecord(topic, partition, message);
          if (filter.empty || filter.rawCheck(raw)) {
            const decoded = reader.decode(raw);
            const seen = masking ? maskRecord(decoded, fields) : decoded;
            if (filter.matches(seen, masking ? undefined : raw)) {
              state.matched += 1;
              await options.onMatch(seen, raw);
            }
          }
          if (state.matched >= options.maxMatches) limit = "max-results";
          else if (state.scanned >= options.maxScanned) limit = "max-scanned";
          else if (options.signal?.aborted) limit = "cancelled";
          if (limit) return false;
        }
        return true;
      },
    });
    state.fetched += result.fetched;
    for (const r of range.ranges) if (!result.positions.has(r.partition) && limit === null) state.positions.set(r.partition, r.end);
    if (limit) return limit;
    switch (result.stop) {
      case "done":
        return "range-end";
      case "timeout":
        return "timeout";
      case "aborted":
        return "cancelled";
      case "stopped":
        return "max-scanned";
    }
  } catch (error) {
    throw kafkaFailure(error, topic);
  }
}
