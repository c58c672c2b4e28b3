import type { KafkaAdminConnection } from "./admin";
import type { PartitionFetcher } from "./partition-fetcher";
import type { RawRecord } from "./topic-reader";

/**
 * Finding one event's records on the topic without reading the topic: its key decides its
 * partition (Kafka's default partitioner, murmur2, which Debezium's producer uses too), and its
 * row's times bound where to look: from the first record at or after `sinceMs` up to `untilMs`
 * or the partition's end, whichever comes first, at most `maxRecords` records and `timeoutMs`.
 */

/** Records one trace search reads at most. */
export const TRACE_SEARCH_MAX_RECORDS = 50_000;
/** A trace search gives up after this long and says so. */
export const TRACE_SEARCH_TIMEOUT_MS = 5_000;
const ADMIN_TIMEOUT_MS = 3_000;

export interface EventSearchResult {
  records: RawRecord[];
  scanned: number;
  /** Why the search stopped before `untilMs` or the end; null when it covered the range. */
  note: string | null;
}

export interface EventSearchOptions {
  admin: KafkaAdminConnection;
  fetcher: PartitionFetcher;
  topic: string;
  partition: number;
  sinceMs: number;
  untilMs: number;
  /** Records whose key is this exact text are collected. */
  key: string;
  maxRecords?: number;
  timeoutMs?: number;
}

export async function searchEventMessages(options: EventSearchOptions): Promise<EventSearchResult> {
  const maxRecords = options.maxRecords ?? TRACE_SEARCH_MAX_RECORDS;
  const timeoutMs = options.timeoutMs ?? TRACE_SEARCH_TIMEOUT_MS;
  const { topic, partition } = options;
  const [starts, ends] = await Promise.all([
    options.admin.run(`offsets of ${topic} at a time`, ADMIN_TIMEOUT_MS, (admin) => admin.fetchTopicOffsetsByTimestamp(topic, options.sinceMs)),
    options.admin.run(`end offsets of ${topic}`, ADMIN_TIMEOUT_MS, (admin) => admin.fetchTopicOffsets(topic)),
  ]);
  const end = Number(ends.find((entry) => entry.partition === partition)?.high ?? 0);
  const startText = starts.find((entry) => entry.partition === partition)?.offset ?? "-1";
  const start = startText === "-1" ? end : Number(startText);
  if (start >= end) return { records: [], scanned: 0, note: null };

  const records: RawRecord[] = [];
  let scanned = 0;
  let note: string | null = null;
  const result = await options.fetcher.read({
    topic,
    ranges: [{ partition, start, end: Math.min(end, start + maxRecords) }],
    deadline: Date.now() + timeoutMs,
    onMessages: (_, messages) => {
      for (const message of messages) {
        scanned++;
        const timestamp = Number(message.timestamp);
        if (timestamp > options.untilMs) return false;
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
  if (result.stop === "timeout") note = `stopped after ${timeoutMs} ms (${scanned} records read)`;
  else if (result.stop === "done" && scanned >= maxRecords && start + maxRecords < end) note = `stopped after ${maxRecords} records (the limit of one search)`;
  return { records, scanned, note };
}

/** How many partitions the topic has (a metadata request). */
export async function topicPartitionCount(admin: KafkaAdminConnection, topic: string): Promise<number> {
  const metadata = await admin.run(`metadata of ${topic}`, ADMIN_TIMEOUT_MS, (kafkaAdmin) => kafkaAdmin.fetchTopicMetadata({ topics: [topic] }));
  return metadata.topics[0]?.partitions.length ?? 0;
}
