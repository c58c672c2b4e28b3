import {
  BROWSE_MAX_LIMIT,
  FULL_MESSAGE_MAX_BYTES,
  type BrowsePage,
  type BrowseQuery,
  type MessageView,
  type TopicInfo,
} from "@/lib/contracts/messages";
import { createRecordDecoder, DEFAULT_PREVIEW_BYTES, type DecodeOptions, type RawKafkaRecord, type RecordDecoder } from "@/lib/debezium";
import { mergePage, planPage, type OffsetRange, type Watermark } from "@/lib/messages/pages";
import { RequestError } from "@/server/http/request-error";
import type { KafkaAdminConnection } from "@/server/kafka/admin";
import { describeKafkaError, innermostKafkaError } from "@/server/kafka/errors";
import type { PartitionFetcher } from "@/server/kafka/partition-fetcher";
import { OFFSET_LOOKUP_TIMEOUT_MS, offsetsAtTime, topicWatermarks } from "@/server/kafka/topic-admin";
import type { KafkaMessage } from "kafkajs";
import { toMessageView } from "./view";

/**
 * Reading the topics the dashboard may show: their partitions and watermarks, browse pages, and
 * one message by position. Reads go straight to the partition leaders (PartitionFetcher): a page
 * costs one Fetch per broker, not a consumer group.
 */

/** Browse and single-message reads running at once; more get 503 and a message to retry. */
export const MAX_CONCURRENT_READS = 8;
/** A browse stops reading once the records it holds reach this size (the page is then refused: lower the limit). */
export const BROWSE_MAX_READ_BYTES = 64 * 1024 * 1024;
/** A browse gives up after this long (a broker that hangs). */
export const BROWSE_TIMEOUT_MS = 10_000;
/** Large records read for the inspector are kept this long (a record at a position never changes; a recreated topic may reuse it)… */
export const RECENT_RECORD_TTL_MS = 60_000;
/** …up to this many bytes in all… */
export const RECENT_RECORDS_MAX_BYTES = 64 * 1024 * 1024;
/** …and only those at least this large: small ones are cheap to read again. */
const RECENT_RECORD_MIN_BYTES = 256 * 1024;
/** A topic known to exist is not looked up again for this long (a missing one is asked about every time). */
const TOPIC_LIST_TTL_MS = 30_000;
/** Bytes asked per partition and Fetch for a page: an average record of this size times the page's records. */
const BROWSE_BYTES_PER_RECORD = 2_048;

export interface MessageReaderOptions {
  admin: KafkaAdminConnection;
  fetcher: PartitionFetcher;
  outboxTopic: string;
  /** Topics besides the outbox topic the dashboard may read (REPLAY_TOPICS). */
  otherTopics: readonly string[];
  decode: DecodeOptions;
}

export function toRawRecord(topic: string, partition: number, message: KafkaMessage): RawKafkaRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers as RawKafkaRecord["headers"],
  };
}

export class MessageReader {
  readonly #options: MessageReaderOptions;
  readonly decode: RecordDecoder;
  readonly #decodeFull: RecordDecoder;
  #reading = 0;
  readonly #inFlight = new Map<string, Promise<RawKafkaRecord>>();
  readonly #recent = new Map<string, { raw: RawKafkaRecord; bytes: number; at: number }>();
  #recentBytes = 0;
  #existing: { names: ReadonlySet<string>; at: number } = { names: new Set(), at: 0 };

  constructor(options: MessageReaderOptions) {
    this.#options = options;
    this.decode = createRecordDecoder(options.decode);
    this.#decodeFull = createRecordDecoder({ ...options.decode, previewBytes: FULL_MESSAGE_MAX_BYTES, maxParseBytes: FULL_MESSAGE_MAX_BYTES });
  }

  get fetcher(): PartitionFetcher {
    return this.#options.fetcher;
  }

  get previewBytes(): number {
    return this.#options.decode.previewBytes ?? DEFAULT_PREVIEW_BYTES;
  }

  /** The topics the dashboard may read: the outbox topic first. */
  get topicNames(): string[] {
    return [...new Set([this.#options.outboxTopic, ...this.#options.otherTopics])];
  }

  /** The topic asked for (default: the outbox topic), if the dashboard may read it; 404 otherwise. */
  resolveTopic(topic: string | undefined): string {
    const name = topic ?? this.#options.outboxTopic;
    if (!this.topicNames.includes(name)) {
      throw new RequestError(404, `topic ${name} is not one this dashboard reads (${this.topicNames.join(", ")}; more through REPLAY_TOPICS)`);
    }
    return name;
  }

  /** Watermarks of the topic's partitions; 404 when the topic does not exist, 503 when Kafka does not answer. */
  async watermarks(topic: string): Promise<Watermark[]> {
    try {
      // KafkaJS retries offsets of an unknown topic until its deadline: ask whether it exists first.
      if (!(await this.#topicExists(topic))) throw new RequestError(404, `topic ${topic} does not exist`);
      const marks = await topicWatermarks(this.#options.admin, topic);
      if (marks.length === 0) throw new RequestError(404, `topic ${topic} does not exist`);
      return marks;
    } catch (error) {
      throw kafkaFailure(error, topic);
    }
  }

  async #topicExists(topic: string): Promise<boolean> {
    const now = Date.now();
    if (this.#existing.at + TOPIC_LIST_TTL_MS < now || !this.#existing.names.has(topic)) {
      const names = await this.#options.admin.run("topic list", OFFSET_LOOKUP_TIMEOUT_MS, (admin) => admin.listTopics());
      this.#existing = { names: new Set(names), at: now };
    }
    return this.#existing.names.has(topic);
  }

  /** The chosen partitions' watermarks: one (404 when it does not exist) or all. */
  async partitionWatermarks(topic: string, partitions: "all" | readonly number[]): Promise<Watermark[]> {
    const marks = await this.watermarks(topic);
    if (partitions === "all") return marks;
    const wanted = new Set(partitions);
    const chosen = marks.filter((mark) => wanted.has(mark.partition));
    const missing = [...wanted].filter((partition) => !chosen.some((mark) => mark.partition === partition));
    if (missing.length > 0) throw new RequestError(404, `partition ${missing.join(", ")} does not exist: ${topic} has partitions 0–${marks.length - 1}`);
    return chosen;
  }

  async topics(): Promise<TopicInfo[]> {
    return Promise.all(
      this.topicNames.map(async (topic) => {
        const partitions = await this.watermarks(topic).catch((error: unknown) => {
          if (error instanceof RequestError && error.status === 404) return [];
          throw error;
        });
        return {
          topic,
          outbox: topic === this.#options.outboxTopic,
          partitions: partitions.map((mark) => ({ partition: mark.partition, low: String(mark.low), high: String(mark.high) })),
        };
      }),
    );
  }

  /** Each partition's first offset at or after a time (-1: none yet). */
  async timeOffsets(topic: string, timeMs: number): Promise<Map<number, number>> {
    try {
      return await offsetsAtTime(this.#options.admin, topic, timeMs);
    } catch (error) {
      throw kafkaFailure(error, topic);
    }
  }

  async browse(query: BrowseQuery, maskFields: readonly string[]): Promise<BrowsePage> {
    return this.#bounded(async () => {
      const topic = this.resolveTopic(query.topic);
      const marks = await this.partitionWatermarks(topic, query.partition === "all" ? "all" : [query.partition]);
      const timeOffsets = query.from.kind === "time" ? await this.timeOffsets(topic, query.from.timeMs) : undefined;
      const plan = planPage({ from: query.from, dir: query.dir, limit: query.limit, watermarks: marks, timeOffsets });
      const byPartition = await this.#readRanges(topic, plan.ranges, query.limit);
      const merged = mergePage(plan, byPartition, query.limit, marks);
      const messages = merged.records.map((entry) => toMessageView(entry.raw, this.decode(entry.raw), { previewBytes: this.previewBytes, maskFields }));
      let read = 0;
      for (const records of byPartition.values()) read += records.length;
      return {
        topic,
        partition: query.partition,
        messages,
        newer: merged.newer,
        older: merged.older,
        read,
        watermarks: marks.map((mark) => ({ partition: mark.partition, low: String(mark.low), high: String(mark.high) })),
      };
    });
  }

  /** One message by position; `full` decodes up to FULL_MESSAGE_MAX_BYTES of its value. 404 when no record is there. */
  async one(topic: string, partition: number, offset: number, full: boolean, maskFields: readonly string[]): Promise<MessageView> {
    const raw = await this.raw(topic, partition, offset);
    const decoded = full ? this.#decodeFull(raw) : this.decode(raw);
    return toMessageView(raw, decoded, { previewBytes: full ? FULL_MESSAGE_MAX_BYTES : this.previewBytes, maskFields });
  }

  /**
   * One record as it is on the topic (all its bytes). 404 when no record is there. Viewers of the
   * same record share one read (and, for a large record, the last reads are kept a minute), so
   * five people opening one 20 MB message cost one 20 MB fetch, not five.
   */
  async raw(topic: string, partition: number, offset: number): Promise<RawKafkaRecord> {
    const key = `${topic}\u0000${partition}\u0000${offset}`;
    const now = Date.now();
    const kept = this.#recent.get(key);
    if (kept && now - kept.at < RECENT_RECORD_TTL_MS) return kept.raw;
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#readOne(topic, partition, offset).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const raw = await pending;
    this.#keep(key, raw, now);
    return raw;
  }

  #keep(key: string, raw: RawKafkaRecord, now: number): void {
    const bytes = (raw.value?.byteLength ?? 0) + (raw.key?.byteLength ?? 0);
    if (bytes < RECENT_RECORD_MIN_BYTES || bytes > RECENT_RECORDS_MAX_BYTES || this.#recent.has(key)) return;
    this.#recent.set(key, { raw, bytes, at: now });
    this.#recentBytes += bytes;
    // Oldest first (Map order) until the kept records fit, expired ones too.
    for (const [oldKey, entry] of this.#recent) {
      if (this.#recentBytes <= RECENT_RECORDS_MAX_BYTES && now - entry.at < RECENT_RECORD_TTL_MS) break;
      this.#recent.delete(oldKey);
      this.#recentBytes -= entry.bytes;
    }
  }

  async #readOne(topic: string, partition: number, offset: number): Promise<RawKafkaRecord> {
    return this.#bounded(async () => {
      this.resolveTopic(topic);
      const [mark] = await this.partitionWatermarks(topic, [partition]);
      if (offset < mark!.low || offset >= mark!.high) {
        throw new RequestError(404, `offset ${offset} is not in ${topic} partition ${partition} (it holds offsets ${mark!.low}–${mark!.high - 1})`);
      }
      const records = await this.#readRanges(topic, [{ partition, start: offset, end: offset + 1 }], 1);
      const raw = records.get(partition)?.find((entry) => entry.offset === String(offset))?.raw;
      if (!raw) throw new RequestError(404, `no record at offset ${offset} of ${topic} partition ${partition} (removed by compaction, or a transaction marker)`);
      return raw;
    });
  }

  async #readRanges(topic: string, ranges: OffsetRange[], limit: number) {
    const byPartition = new Map<number, { partition: number; offset: string; timestamp: number; raw: RawKafkaRecord }[]>();
    for (const range of ranges) byPartition.set(range.partition, []);
    let bytes = 0;
    let tooBig = false;
    try {
      const result = await this.fetcher.read({
        topic,
        ranges,
        deadline: Date.now() + BROWSE_TIMEOUT_MS,
        partitionMaxBytes: Math.max(1, Math.min(BROWSE_MAX_LIMIT, limit) * BROWSE_BYTES_PER_RECORD),
        onMessages: (partition, messages) => {
          const list = byPartition.get(partition)!;
          for (const message of messages) {
            const raw = toRawRecord(topic, partition, message);
            bytes += (raw.value?.byteLength ?? 0) + (raw.key?.byteLength ?? 0);
            list.push({ partition, offset: raw.offset, timestamp: raw.timestamp, raw });
          }
          if (bytes > BROWSE_MAX_READ_BYTES) {
            tooBig = true;
            return false;
          }
          return true;
        },
      });
      if (result.stop === "timeout") throw new RequestError(503, `reading ${topic} took longer than ${BROWSE_TIMEOUT_MS / 1_000} s (is a broker down?)`);
    } catch (error) {
      throw kafkaFailure(error, topic);
    }
    if (tooBig) throw new RequestError(413, `the page's records hold more than ${BROWSE_MAX_READ_BYTES / 1024 / 1024} MB: ask for fewer (limit)`);
    return byPartition;
  }

  async #bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.#reading >= MAX_CONCURRENT_READS) throw new RequestError(503, `${MAX_CONCURRENT_READS} reads of Kafka are running; retry in a moment`);
    this.#reading += 1;
    try {
      return await work();
    } finally {
      this.#reading -= 1;
    }
  }
}

/** A RequestError as it is; a missing topic as 404; anything else from Kafka as 503 with the reason. */
export function kafkaFailure(error: unknown, topic: string): RequestError {
  if (error instanceof RequestError) return error;
  const inner = innermostKafkaError(error) as { type?: unknown } | null;
  if (inner?.type === "UNKNOWN_TOPIC_OR_PARTITION" || /does not host this topic-partition/.test(describeKafkaError(error))) {
    return new RequestError(404, `topic ${topic} does not exist`);
  }
  return new RequestError(503, `Kafka did not answer for ${topic}: ${describeKafkaError(error)}`);
}
