import { randomUUID } from "node:crypto";
import type { Consumer, EachBatchPayload } from "kafkajs";
import {
  DEFAULT_OUTBOX_COLUMNS,
  DEFAULT_PREVIEW_BYTES,
  createChangeHeaderScanner,
  createRecordDecoder,
  rawRecordSizeBytes,
  type ChangeHeaderScanner,
  type DecodeOptions,
  type DecodedRecord,
  type RecordDecoder,
} from "@/lib/debezium";
import type { Logger } from "@/server/log";
import type { KafkaAdminConnection } from "./admin";
import type { KafkaClient } from "./client";
import { describeKafkaError } from "./errors";
import { TAIL_GROUP_PREFIX } from "./groups";
import { OffsetTimestampIndex } from "./offset-index";
import { PerSecondCounter, PerSecondTally, epochSecond } from "./per-second";
import { RecentRecords } from "./recent-records";
import { RecentRate, decodeEveryFor, isSampled } from "./sampling";

/**
 * The live tail: one KafkaJS consumer per server process reading every partition of the outbox
 * topic(s) from the end (or a short lookback), and keeping per partition the latest records,
 * counters and an offset → timestamp index.
 *
 * - Every record is counted (records, bytes, op, an insert's event type) and indexed, from its raw
 *   bytes without parsing them (lib/debezium/scan.ts). At normal rates every record is also
 *   decoded once and handed to the sinks and the latest-records ring. Under pressure (catching up,
 *   or above a rate) only a sample is decoded, chosen by key hash (./sampling.ts): the counts stay
 *   exact, the sinks and the ring see the sample, and `stats().decodeEvery` says so.
 * - Its consumer group is ephemeral (a fresh `outbox-lens-tail-<uuid>` per consumer) and it never
 *   commits: positions live in this process. On every group join (first start, a rebalance) the
 *   consumer is sought to where this tail left off, so a restart neither skips nor repeats records;
 *   records it has already counted (a batch in flight during a rejoin) are skipped by offset. The exception is a position the topic no
 *   longer holds (retention deleted it during a long outage): KafkaJS then resets the partition to
 *   its end, and commits that reset to the ephemeral group, the one commit the tail cannot avoid.
 * - Any crash, or a failure to connect, recreates the consumer, in a new group, after a backoff.
 *   KafkaJS's own restart would rejoin the same group, whose coordinator then waits out the dead
 *   member's session (TAIL_SESSION_TIMEOUT_MS) before the join completes: after a broker of a
 *   cluster died, the live view stood still for 10-15 s. A new group joins at once.
 * - Nothing it does rejects unobserved: failures become `stats().error` and a log line per change.
 */

/** Fetch tuning; see {@link TAIL_FETCH_DEFAULTS}. */
export interface TailFetchSettings {
  /** Upper bound of one fetch response (all partitions of one broker). */
  maxBytes: number;
  maxBytesPerPartition: number;
  /** The broker answers once this much is available, or after maxWaitTimeInMs. */
  minBytes: number;
  maxWaitTimeInMs: number;
}

/**
 * Chosen by measurement on the local stack (bench:tail: 300,000 Debezium envelopes of ~1.3 KB on
 * 3 partitions, the tail catching up). Each fetch costs a round trip in which the tail waits for
 * the broker, so bigger responses read faster: 512 KiB per partition and 4 MiB per response gave
 * 0.52-0.62× a bare KafkaJS consumer reading 4 MiB per partition, 2 MiB and 8 MiB gave 0.72×, and
 * 4 MiB and 16 MiB no more (0.65×; the tail's own work per record is the rest). KafkaJS decodes a
 * whole response before handing out its batches, so a bigger one blocks the event loop longer, but
 * only while catching up: live traffic is fetched as it arrives, a few hundred records at a time.
 * - 2 MiB per partition (KafkaJS's default is 1 MiB), 8 MiB per response.
 * - minBytes 1 (the broker answers as soon as anything is there) with a 500 ms wait: a record on
 *   a quiet topic reaches the tail within milliseconds (a browser sees it live), and under steady
 *   traffic a fetch carries what arrived while the previous batch was handled, so batches grow
 *   with the rate by themselves. An idle tail asks twice a second. (64 KiB / 100 ms, tried first,
 *   held records up to 100 ms on a quiet topic, over the live view's 100 ms budget by itself.)
 */
export const TAIL_FETCH_DEFAULTS: TailFetchSettings = Object.freeze({
  maxBytes: 8 * 1024 * 1024,
  maxBytesPerPartition: 2 * 1024 * 1024,
  minBytes: 1,
  maxWaitTimeInMs: 500,
});

/**
 * Fetched batches waiting to be handled. KafkaJS sends its next fetch only once eachBatch has
 * returned (kafkajs/src/consumer/fetcher.js fetches, waits for its worker queue to drain, and
 * repeats): handled inline, the tail's own work and the broker's answer to the next fetch took
 * turns, and a catching-up tail sat idle half the time (bench:tail's CPU profile). Queued, the
 * next fetch is on its way while these are handled. Bounded: at this many, eachBatch waits for
 * room, so the queue holds at most this many batches (each ≤ maxBytesPerPartition: 8 MiB with the
 * defaults, a response's worth on the outbox topic's 3 partitions) besides the response KafkaJS is reading.
 */
export const TAIL_MAX_QUEUED_BATCHES = 4;

/** First wait before recreating a crashed consumer; doubles per failure up to the maximum. */
export const TAIL_RESTART_INITIAL_BACKOFF_MS = 1_000;
/** A broker down for hours costs one connection attempt every 30 s, not a busy loop. */
export const TAIL_RESTART_MAX_BACKOFF_MS = 30_000;
/** Deadline of the admin look-up of the start offsets (end offsets or offsets by timestamp). */
export const TAIL_ADMIN_TIMEOUT_MS = 5_000;
/**
 * Session of the tail's group member. A crashed consumer's group keeps its dead member this long
 * (and cannot be deleted meanwhile); the tail itself has moved to a new group by then. KafkaJS's
 * 30 s default would keep such groups listed for half a minute; 10 s stays well above the broker's
 * 6 s minimum and three heartbeats (KafkaJS sends one every 3 s).
 */
export const TAIL_SESSION_TIMEOUT_MS = 10_000;
/** Sink failures are logged at most once per this interval: a broken sink must not flood the log at thousands of records a second. */
export const SINK_ERROR_LOG_INTERVAL_MS = 60_000;

/** Per-record context handed to sinks besides the decoded record. */
export interface TailRecordMeta {
  /** The record's offset as a number (the decoded record carries it as a string). */
  readonly offset: number;
  /** When the tail handled the record's batch, epoch ms. */
  readonly receivedAt: number;
  /** The partition's end offset when the batch was fetched. */
  readonly highWatermark: number;
}

/**
 * Receives every record the tail decodes: all records at normal rates, a sample under pressure
 * (1 in `stats().decodeEvery`, by key hash, so all records of one key, such as an outbox event's
 * insert and its write-back, are in the sample together or not at all). A sink that counts must
 * therefore scale by the sampling or use the tail's exact counts. Runs on the ingest path,
 * synchronously: it must be cheap and must not keep the meta object beyond the call. A throwing
 * sink is counted and logged, and the tail goes on.
 */
export type TailSink = (record: DecodedRecord, meta: TailRecordMeta) => void;

export interface TopicTailOptions {
  /** The process's general Kafka client; the tail creates its consumer from it. */
  client: KafkaClient;
  /** For the start offsets; each look-up has a deadline of `adminTimeoutMs`. */
  admin: KafkaAdminConnection;
  topics: readonly string[];
  /** Start this far back in time (offsets by timestamp of now − lookback); 0, the default, starts at the end. */
  lookbackMs?: number;
  /** Decoder options (column mapping, jsonb columns, preview size). */
  decode?: DecodeOptions;
  fetch?: Partial<TailFetchSettings>;
  adminTimeoutMs?: number;
  logger: Logger;
}

export type TailState = "stopped" | "starting" | "running" | "recovering";

export interface TailPartitionStats {
  topic: string;
  partition: number;
  /** Records the tail read per second over the last 10 s; null before the first complete second. */
  messagesPerSec: number | null;
  bytesPerSec: number | null;
  /** The partition's end offset as of the tail's last batch; null before one. */
  highWatermark: number | null;
  /** The next offset the tail will read; null when not positioned yet. */
  nextOffset: number | null;
  /** highWatermark − nextOffset, never negative. */
  behindRecords: number;
}

export interface TailTopicStats {
  topic: string;
  messagesPerSec: number | null;
  bytesPerSec: number | null;
  /** Per second over the last 10 s, by Debezium op: c, u, d, r, t, tombstone, other. */
  byOp: Record<string, number>;
  /** Per second over the last 10 s: inserts (op c) by event type. */
  byEventType: Record<string, number>;
  behindRecords: number;
  partitions: TailPartitionStats[];
}

export interface TailStats {
  state: TailState;
  /** Why the tail is not running, while it is not. */
  error: string | null;
  /** The consumer's current group id (changes when the consumer is recreated). */
  groupId: string | null;
  /** All topics: records read per second over the last 10 s (0 before the first complete second). */
  messagesPerSec: number;
  bytesPerSec: number | null;
  behindRecords: number;
  /**
   * Decoded records that were not Debezium change events or tombstones, since start. Only decoded
   * records are judged: under sampling this is a count within the sample (of `decoded`), not of
   * every record read.
   */
  undecodable: number;
  /** Records read since start. */
  records: number;
  /**
   * The current sampling: 1 when every record is decoded (and reaches the sinks and the latest
   * records), N when 1 record in N is, because the tail is catching up or reading fast. Rates,
   * by-op and by-event-type counts cover every record either way.
   */
  decodeEvery: number;
  /** Records decoded since start (all of `records` while decodeEvery has stayed 1). */
  decoded: number;
  /** Sink calls that threw, since start. */
  sinkErrors: number;
  topics: TailTopicStats[];
}

/** Labels of {@link TailTopicStats.byOp}, after the contract. */
export const OP_TOMBSTONE = "tombstone";
export const OP_OTHER = "other";
/** byEventType label of an insert whose event type could not be read. */
export const UNKNOWN_EVENT_TYPE = "(unknown)";

class PartitionTail {
  /** The next offset to read; -1 until positioned. */
  next = -1;
  highWatermark = -1;
  readonly messages = new PerSecondCounter();
  readonly bytes = new PerSecondCounter();
  readonly index = new OffsetTimestampIndex();
  readonly recent = new RecentRecords<DecodedRecord>();

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** The partition went back underneath us (topic deleted and recreated): forget its history. */
  reset(): void {
    this.next = -1;
    this.index.clear();
    this.recent.clear();
  }
}

class TopicTallies {
  readonly byOp = new PerSecondTally();
  readonly byEventType = new PerSecondTally();
  /** Sparse, by partition number. */
  readonly partitions: PartitionTail[] = [];
}

export class TopicTail {
  readonly #options: TopicTailOptions;
  readonly #logger: Logger;
  readonly #decode: RecordDecoder;
  readonly #scanHeader: ChangeHeaderScanner;
  readonly #recentRate = new RecentRate();
  readonly #fetch: TailFetchSettings;
  readonly #previewBytes: number;
  readonly #topics = new Map<string, TopicTallies>();
  readonly #sinks: TailSink[] = [];

  #state: TailState = "stopped";
  #error: string | null = null;
  #consumer: Consumer | null = null;
  #groupId: string | null = null;
  /** Set once the start offsets were looked up; from then on positions come from the partitions' `next`. */
  #positioned = false;
  #startedSecond = 0;
  #records = 0;
  #decoded = 0;
  #decodeEvery = 1;
  /** See {@link TAIL_MAX_QUEUED_BATCHES}. */
  readonly #queue: { batch: EachBatchPayload["batch"]; receivedAt: number }[] = [];
  #drainScheduled = false;
  /** Resolves the eachBatch call waiting for room in the queue. */
  #queueRoom: (() => void) | null = null;
  #undecodable = 0;
  #sinkErrors = 0;
  #lastSinkErrorLogAt = Number.NEGATIVE_INFINITY;
  #backoffMs = TAIL_RESTART_INITIAL_BACKOFF_MS;
  #backoffTimer: NodeJS.Timeout | null = null;
  #wakeBackoff: (() => void) | null = null;
  /** Resolves the promise of {@link start} at the first group join, or at stop. */
  #resolveStarted: (() => void) | null = null;
  #started: Promise<void> | null = null;
  #stopping = false;
  /** The background loop that (re)creates the consumer; awaited by stop. */
  #launching: Promise<void> | null = null;

  constructor(options: TopicTailOptions) {
    if (options.topics.length === 0) throw new Error("the tail needs at least one topic");
    this.#options = options;
    this.#logger = options.logger;
    this.#decode = createRecordDecoder(options.decode);
    // The decoder ignores an empty column name; so does the scanner.
    this.#scanHeader = createChangeHeaderScanner(options.decode?.columns?.eventType || DEFAULT_OUTBOX_COLUMNS.eventType);
    this.#fetch = { ...TAIL_FETCH_DEFAULTS, ...options.fetch };
    // As the decoder does: an unusable preview size means the default.
    const previewBytes = options.decode?.previewBytes;
    this.#previewBytes = previewBytes !== undefined && Number.isFinite(previewBytes) && previewBytes >= 1 ? previewBytes : DEFAULT_PREVIEW_BYTES;
    for (const topic of options.topics) this.#topics.set(topic, new TopicTallies());
  }

  /**
   * Starts consuming in the background. The promise resolves once the consumer has joined its
   * group and is positioned, so every record produced after it resolves will be read; it never
   * rejects (while Kafka is unreachable the tail retries, and `stats().error` says why).
   * Calling it again returns the same promise.
   */
  start(): Promise<void> {
    if (this.#started) return this.#started;
    this.#stopping = false;
    this.#state = "starting";
    this.#startedSecond = epochSecond(Date.now());
    this.#started = new Promise<void>((resolve) => {
      this.#resolveStarted = resolve;
    });
    this.#launching = this.#launch();
    return this.#started;
  }

  /**
   * Stops and disconnects the consumer; never rejects. Started again, the tail resumes where it
   * stopped (a new tail starts at the end).
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#queue.length = 0;
    this.#releaseQueueRoom();
    this.#wakeBackoff?.();
    await this.#launching?.catch(() => undefined);
    const consumer = this.#consumer;
    this.#consumer = null;
    if (consumer) {
      await consumer.disconnect().catch(() => undefined);
      await this.#deleteGroup(this.#groupId);
    }
    this.#state = "stopped";
    this.#resolveStarted?.();
    this.#resolveStarted = null;
    this.#started = null;
    this.#launching = null;
  }

  /** Records read since start, every one counted whether decoded or not: the cheap part of {@link stats}. */
  get recordsRead(): number {
    return this.#records;
  }

  /** Registers a sink; returns the function that removes it. */
  onRecord(sink: TailSink): () => void {
    this.#sinks.push(sink);
    return () => {
      const at = this.#sinks.indexOf(sink);
      if (at >= 0) this.#sinks.splice(at, 1);
    };
  }

  /**
   * The Kafka timestamp of the record at `offset`, within 100 ms (INDEX_RESOLUTION_MS), or
   * undefined when the tail has not seen that offset (older than its index, or not read yet).
   */
  timestampAt(topic: string, partition: number, offset: string | number): number | undefined {
    return this.#partition(topic, partition)?.index.timestampAt(Number(offset));
  }

  /** The latest records of one partition, oldest first, at most `limit`. */
  recentRecords(topic: string, partition: number, limit?: number): DecodedRecord[] {
    return this.#partition(topic, partition)?.recent.latest(limit) ?? [];
  }

  /** The latest records of a topic across its partitions, oldest first by Kafka timestamp, at most `limit`. */
  latestRecords(topic: string, limit: number): DecodedRecord[] {
    const merged: DecodedRecord[] = [];
    for (const partition of this.#topics.get(topic)?.partitions ?? []) {
      if (partition) merged.push(...partition.recent.latest(limit));
    }
    merged.sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition);
    return merged.slice(Math.max(0, merged.length - limit));
  }

  /** Bytes per second the tail read on one partition over the last 10 s; null when unknown. */
  bytesPerSec(topic: string, partition: number): number | null {
    const state = this.#partition(topic, partition);
    return state ? state.bytes.rate(epochSecond(Date.now()), this.#startedSecond) : null;
  }

  stats(now: number = Date.now()): TailStats {
    const second = epochSecond(now);
    const started = this.#startedSecond;
    const topics: TailTopicStats[] = [];
    let messagesPerSec = 0;
    let bytesPerSec: number | null = null;
    let behindRecords = 0;
    for (const [topic, tallies] of this.#topics) {
      const partitions: TailPartitionStats[] = [];
      let topicMessages: number | null = null;
      let topicBytes: number | null = null;
      let topicBehind = 0;
      for (const state of tallies.partitions) {
        if (!state) continue;
        const messages = state.messages.rate(second, started);
        const bytes = state.bytes.rate(second, started);
        const behind = state.next >= 0 && state.highWatermark >= 0 ? Math.max(0, state.highWatermark - state.next) : 0;
        partitions.push({
          topic,
          partition: state.partition,
          messagesPerSec: messages,
          bytesPerSec: bytes,
          highWatermark: state.highWatermark >= 0 ? state.highWatermark : null,
          nextOffset: state.next >= 0 ? state.next : null,
          behindRecords: behind,
        });
        if (messages !== null) topicMessages = (topicMessages ?? 0) + messages;
        if (bytes !== null) topicBytes = (topicBytes ?? 0) + bytes;
        topicBehind += behind;
      }
      topics.push({
        topic,
        messagesPerSec: topicMessages,
        bytesPerSec: topicBytes,
        byOp: tallies.byOp.rates(second, started),
        byEventType: tallies.byEventType.rates(second, started),
        behindRecords: topicBehind,
        partitions,
      });
      messagesPerSec += topicMessages ?? 0;
      if (topicBytes !== null) bytesPerSec = (bytesPerSec ?? 0) + topicBytes;
      behindRecords += topicBehind;
    }
    return {
      state: this.#state,
      error: this.#error,
      groupId: this.#groupId,
      messagesPerSec,
      bytesPerSec,
      behindRecords,
      undecodable: this.#undecodable,
      records: this.#records,
      // KafkaJS hands over no empty batches: once nothing was read for a second, the last
      // batch's sampling is history, and the next records at a normal pace are all decoded.
      decodeEvery: this.#recentRate.perSecond(second) === 0 ? 1 : this.#decodeEvery,
      decoded: this.#decoded,
      sinkErrors: this.#sinkErrors,
      topics,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Ingest: the hot path. Every record is scanned, at most one decode per record, counters in
  // typed arrays, no per-record closures.

  readonly #handleBatch = async ({ batch }: EachBatchPayload): Promise<void> => {
    if (this.#stopping) return;
    this.#queue.push({ batch, receivedAt: Date.now() });
    if (!this.#drainScheduled) {
      this.#drainScheduled = true;
      setImmediate(this.#drain);
    }
    // Room for more: KafkaJS sends the next fetch now, and it travels while the queue is handled.
    if (this.#queue.length < TAIL_MAX_QUEUED_BATCHES) return;
    await new Promise<void>((resolve) => {
      this.#queueRoom = resolve;
    });
  };

  /** Handles the queued batches in arrival order, one per turn of the event loop. */
  readonly #drain = (): void => {
    this.#drainScheduled = false;
    const next = this.#queue.shift();
    if (next && !this.#stopping) this.#ingest(next.batch, next.receivedAt);
    if (this.#queue.length > 0 && !this.#stopping) {
      this.#drainScheduled = true;
      setImmediate(this.#drain);
    }
    if (this.#queue.length < TAIL_MAX_QUEUED_BATCHES || this.#stopping) this.#releaseQueueRoom();
  };

  #releaseQueueRoom(): void {
    const resolve = this.#queueRoom;
    this.#queueRoom = null;
    resolve?.();
  }

  #ingest(batch: EachBatchPayload["batch"], receivedAt: number): void {
    const tallies = this.#topics.get(batch.topic);
    if (!tallies) return;
    const state = this.#partitionOf(tallies, batch.topic, batch.partition);
    const highWatermark = Number(batch.highWatermark);
    // An end offset below our position: the partition was truncated or the topic recreated.
    if (state.next > highWatermark) state.reset();

    const second = epochSecond(receivedAt);
    const sinks = this.#sinks;
    const previewBytes = this.#previewBytes;
    const { topic, partition, messages } = batch;
    const firstOffset = messages.length > 0 ? Number(messages[0]!.offset) : highWatermark;
    // Decided once per batch: a batch is read within milliseconds, and one decision for all of
    // it keeps the per-record work to a hash and a mask.
    const decodeEvery = decodeEveryFor({ behindRecords: highWatermark - firstOffset, recordsPerSec: this.#recentRate.perSecond(second) });
    this.#decodeEvery = decodeEvery;
    let count = 0;
    let bytes = 0;
    let decoded = 0;
    let undecodable = 0;

    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const offset = Number(message.offset);
      // Already read: a batch fetched before a rejoin sought the partition back to our position.
      if (offset < state.next) continue;
      const timestamp = Number(message.timestamp);
      const key = message.key ?? null;
      const value = message.value ?? null;
      count += 1;
      state.index.record(offset, timestamp);

      if (!isSampled(key, offset, decodeEvery)) {
        // Counted from the raw bytes only, as the decode below would count it.
        bytes += rawRecordSizeBytes(message);
        const header = this.#scanHeader(value);
        if (header === null) {
          tallies.byOp.add(second, value === null ? OP_TOMBSTONE : OP_OTHER);
        } else if (header.op === "unknown") {
          tallies.byOp.add(second, OP_OTHER);
        } else {
          tallies.byOp.add(second, header.op);
          if (header.op === "c") tallies.byEventType.add(second, header.eventType ?? UNKNOWN_EVENT_TYPE);
        }
        continue;
      }

      const record = this.#decode({ topic, partition, offset: message.offset, timestamp, key, value, headers: message.headers });
      decoded += 1;
      bytes += record.sizeBytes;
      state.recent.push(record, Math.min(record.sizeBytes, previewBytes));

      if (record.kind === "change") {
        const op = record.op === "unknown" ? OP_OTHER : record.op;
        tallies.byOp.add(second, op);
        if (op === "c") tallies.byEventType.add(second, record.outbox.eventType ?? UNKNOWN_EVENT_TYPE);
      } else if (record.kind === "tombstone") {
        tallies.byOp.add(second, OP_TOMBSTONE);
      } else {
        tallies.byOp.add(second, OP_OTHER);
        undecodable += 1;
      }

      if (sinks.length > 0) {
        const meta: TailRecordMeta = { offset, receivedAt, highWatermark };
        for (let s = 0; s < sinks.length; s++) {
          try {
            sinks[s]!(record, meta);
          } catch (error) {
            this.#sinkFailed(error);
          }
        }
      }
    }

    // The batch's last offset includes records KafkaJS filtered out (transaction markers, aborted
    // records), so the position does not stay one behind a transactional topic's end.
    const last = Number(batch.lastOffset());
    if (Number.isFinite(last) && last + 1 > state.next) state.next = last + 1;
    state.highWatermark = highWatermark;
    state.messages.add(second, count);
    state.bytes.add(second, bytes);
    this.#records += count;
    this.#decoded += decoded;
    this.#undecodable += undecodable;
    this.#recentRate.add(second, count);
  }

  #sinkFailed(error: unknown): void {
    this.#sinkErrors += 1;
    const now = Date.now();
    if (now - this.#lastSinkErrorLogAt < SINK_ERROR_LOG_INTERVAL_MS) return;
    this.#lastSinkErrorLogAt = now;
    this.#logger.error(`a tail sink threw (${this.#sinkErrors} so far; logged once a minute): ${describeKafkaError(error)}`);
  }

  #partition(topic: string, partition: number): PartitionTail | undefined {
    return this.#topics.get(topic)?.partitions[partition];
  }

  #partitionOf(tallies: TopicTallies, topic: string, partition: number): PartitionTail {
    let state = tallies.partitions[partition];
    if (!state) {
      state = new PartitionTail(topic, partition);
      tallies.partitions[partition] = state;
    }
    return state;
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle

  /** (Re)creates the consumer until one runs or the tail stops; waits out a backoff between attempts. */
  async #launch(): Promise<void> {
    while (!this.#stopping) {
      try {
        await this.#runConsumer();
        return;
      } catch (error) {
        if (this.#stopping) return;
        this.#setRecovering(describeKafkaError(error));
        await this.#backoff();
      }
    }
  }

  async #runConsumer(): Promise<void> {
    if (!this.#positioned) await this.#lookUpStartOffsets();
    if (this.#stopping) return;

    const groupId = `${TAIL_GROUP_PREFIX}${randomUUID()}`;
    const consumer = this.#options.client.consumer({
      groupId,
      sessionTimeout: TAIL_SESSION_TIMEOUT_MS,
      maxBytes: this.#fetch.maxBytes,
      maxBytesPerPartition: this.#fetch.maxBytesPerPartition,
      minBytes: this.#fetch.minBytes,
      maxWaitTimeInMs: this.#fetch.maxWaitTimeInMs,
      // Every crash comes to #onCrash with restart=false, which starts a consumer in a new group.
      retry: { restartOnFailure: () => Promise.resolve(false) },
    });
    this.#consumer = consumer;
    this.#groupId = groupId;
    consumer.on(consumer.events.GROUP_JOIN, (event) => this.#onGroupJoin(consumer, event.payload.memberAssignment));
    consumer.on(consumer.events.CRASH, (event) => this.#onCrash(consumer, event.payload.error, event.payload.restart));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.#options.topics], fromBeginning: false });
      if (this.#stopping) return;
      // Resolves after the first join, or after a failed join was handed to the CRASH handler.
      await consumer.run({ autoCommit: false, eachBatch: this.#handleBatch });
    } catch (error) {
      if (this.#consumer === consumer) this.#consumer = null;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Where each partition starts: its end offset, or the first offset at or after now − lookback. */
  async #lookUpStartOffsets(): Promise<void> {
    const lookbackMs = Math.max(0, this.#options.lookbackMs ?? 0);
    const since = Date.now() - lookbackMs;
    const timeoutMs = this.#options.adminTimeoutMs ?? TAIL_ADMIN_TIMEOUT_MS;
    for (const [topic, tallies] of this.#topics) {
      const offsets = await this.#options.admin.run(`Kafka (start offsets of ${topic})`, timeoutMs, (admin) =>
        lookbackMs === 0
          ? admin.fetchTopicOffsets(topic)
          : // Partitions without a record since then get their end offset.
            admin.fetchTopicOffsetsByTimestamp(topic, since),
      );
      for (const { partition, offset } of offsets) this.#partitionOf(tallies, topic, partition).next = Number(offset);
    }
    this.#positioned = true;
  }

  #onGroupJoin(consumer: Consumer, assignment: Record<string, number[]>): void {
    if (consumer !== this.#consumer) return;
    // Runs inside KafkaJS's join: a throw here would fail the join, so nothing may escape.
    try {
      for (const [topic, partitions] of Object.entries(assignment)) {
        for (const partition of partitions) {
          const next = this.#partition(topic, partition)?.next ?? -1;
          // A partition without a position (added to the topic since) starts at the end.
          if (next >= 0) consumer.seek({ topic, partition, offset: String(next) });
        }
      }
    } catch (error) {
      this.#logger.error(`could not position the tail after joining its group: ${describeKafkaError(error)}`);
    }
    if (this.#state !== "running") {
      if (this.#state === "recovering") this.#logger.info(`tail running again (group ${this.#groupId})`);
      this.#state = "running";
      this.#error = null;
    }
    this.#backoffMs = TAIL_RESTART_INITIAL_BACKOFF_MS;
    this.#resolveStarted?.();
    this.#resolveStarted = null;
  }

  #onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    if (consumer !== this.#consumer || this.#stopping) return;
    this.#setRecovering(describeKafkaError(error));
    // Never true (restartOnFailure above), unless a KafkaJS version ignores the option: then its
    // own restart rejoins and the join positions the consumer again.
    if (restart) return;
    this.#consumer = null;
    const abandonedGroup = this.#groupId;
    this.#launching = (async () => {
      await consumer.disconnect().catch(() => undefined);
      await this.#deleteGroup(abandonedGroup);
      await this.#backoff();
      await this.#launch();
    })();
  }

  /**
   * Deletes an ephemeral group the tail no longer uses. Best effort: an empty group without offsets
   * would otherwise stay listed until the broker's next cleanup (offsets.retention.check.interval.ms,
   * 10 minutes by default), one more per server restart.
   */
  async #deleteGroup(groupId: string | null): Promise<void> {
    if (groupId === null) return;
    const timeoutMs = this.#options.adminTimeoutMs ?? TAIL_ADMIN_TIMEOUT_MS;
    await this.#options.admin.run(`Kafka (delete group ${groupId})`, timeoutMs, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }

  #setRecovering(reason: string): void {
    if (this.#state !== "recovering" || this.#error !== reason) this.#logger.warn(`tail not consuming, retrying: ${reason}`);
    this.#state = "recovering";
    this.#error = reason;
  }

  /** Waits the current backoff (or until stop), then doubles it. */
  async #backoff(): Promise<void> {
    if (this.#stopping) return;
    const waitMs = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, TAIL_RESTART_MAX_BACKOFF_MS);
    await new Promise<void>((resolve) => {
      this.#wakeBackoff = resolve;
      this.#backoffTimer = setTimeout(resolve, waitMs);
    });
    if (this.#backoffTimer) clearTimeout(this.#backoffTimer);
    this.#backoffTimer = null;
    this.#wakeBackoff = null;
  }
}
