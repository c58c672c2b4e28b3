import type { KafkaAdminConnection } from "./admin";
import type { PartitionFetcher } from "./partition-fetcher";
import type { RawRecord } from "./topic-reader";

/**
 * Finding one event's records on a topic without reading the topic: its key decides its partition
 * (Kafka's default partitioner, murmur2, which Debezium's producer and our replay producer use),
 * and what is known of its history bounds where to look: time windows (its row's creation to its
 * last change, each replay of it), each read from its first record at or after `sinceMs` up to
 * `untilMs` or the partition's end, all windows together at most `maxRecords` records and
 * `timeoutMs`.
 */

/** Records one trace search reads at most, over all its windows. */
export const TRACE_SEARCH_MAX_RECORDS = 50_000;
/** A trace search gives up after this long and says so. */
export const TRACE_SEARCH_TIMEOUT_MS = 5_000;
const ADMIN_TIMEOUT_MS = 3_000;

export interface EventSearchResult {
  records: RawRecord[];
  scanned: number;
  /** Why the search stopped before the end of its windows (a limit); null when it covered them. */
  note: string | null;
}

/** Epoch ms, both ends included. */
export interface SearchWindow {
  sinceMs: number;
  untilMs: number;
}

export interface EventSearchOptions {
  admin: KafkaAdminConnection;
  fetcher: PartitionFetcher;
  topic: string;
  partition: number;
  windows: readonly SearchWindow[];
  /** Records whose key is this exact text are collected. */
  key: string;
  maxRecords?: number;
  timeoutMs?: number;
}

/** The windows sorted by start, overlapping or touching ones joined, empty ones dropped. */
export function mergeWindows(windows: readonly SearchWindow[]): SearchWindow[] {
  const merged: SearchWindow[] = [];
  for (const window of [...windows].filter((w) => w.sinceMs <= w.untilMs).sort((a, b) => a.sinceMs - b.sinceMs)) {
    const last = merged.at(-1);
    if (last && window.sinceMs <= last.untilMs) last.untilMs = Math.max(last.untilMs, window.untilMs);
    else merged.push({ ...window });
  }
  return merged;
}

export async function searchEventMessages(options: EventSearchOptions): Promise<EventSearchResult> {
  const maxRecords = options.maxRecords ?? TRACE_SEARCH_MAX_RECORDS;
  const timeoutMs = options.timeoutMs ?? TRACE_SEARCH_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const { topic, partition } = options;
  const windows = mergeWindows(options.windows);
  const [ends, ...starts] = await Promise.all([
    options.admin.run(`end offsets of ${topic}`, ADMIN_TIMEOUT_MS, (admin) => admin.fetchTopicOffsets(topic)),
    ...windows.map((window) =>
      options.admin.run(`offsets of ${topic} at a time`, ADMIN_TIMEOUT_MS, (admin) => admin.fetchTopicOffsetsByTimestamp(topic, window.sinceMs)),
    ),
  ]);
  const end = Number(ends.find((entry) => entry.partition === partition)?.high ?? 0);

  const records: RawRecord[] = [];
  let scanned = 0;
  // Where the previous window's read ended: a later window never reads a record twice.
  let readTo = 0;
  for (const [index, window] of windows.entries()) {
    const startText = starts[index]!.find((entry) => entry.partition === partition)?.offset ?? "-1";
    const start = Math.max(readTo, startText === "-1" ? end : Number(startText));
    if (start >= end) break;
    const rangeEnd = Math.min(end, start + maxRecords - scanned);
    if (rangeEnd <= start) return { records, scanned, note: limitNote(maxRecords) };
    let next = start;
    let pastWindow = false;
    const result = await options.fetcher.read({
      topic,
      ranges: [{ partition, start, end: rangeEnd }],
      deadline,
      onMessages: (_, messages) => {
        for (const message of messages) {
          const timestamp = Number(message.timestamp);
          if (timestamp > window.untilMs) {
            pastWindow = true;
            return false;
          }
          scanned++;
          next = Number(message.offset) + 1;
          if (message.key?.toString("utf8") === options.key) {
            records.push({
              topic,
              partition,
              offset: message.offset,
              timestamp,
              key: message.key,
              value: message.value,
              headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
            });
          }
        }
        return true;
      },
    });
    if (result.stop === "timeout") return { records, scanned, note: `stopped after ${timeoutMs} ms (${scanned} records read)` };
    if (!pastWindow && rangeEnd < end) return { records, scanned, note: limitNote(maxRecords) };
    readTo = next;
  }
  return { records, scanned, note: null };
}

function limitNote(maxRecords: number): string {
  return `stopped after ${maxRecords} records (the limit of one search)`;
}

/** How many partitions the topic has (a metadata request). */
export async function topicPartitionCount(admin: KafkaAdminConnection, topic: string): Promise<number> {
  const metadata = await admin.run(`metadata of ${topic}`, ADMIN_TIMEOUT_MS, (kafkaAdmin) => kafkaAdmin.fetchTopicMetadata({ topics: [topic] }));
  return metadata.topics[0]?.partitions.length ?? 0;
}
