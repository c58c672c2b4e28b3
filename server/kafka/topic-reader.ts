import { randomUUID } from "node:crypto";
import type { Logger } from "@/server/log";
import { createKafkaClient } from "./client";

/** One record as read from the topic, undecoded. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface FindRecordOptions {
  brokers: readonly string[];
  topic: string;
  /** Start at the first record at or after this time (epoch ms); from the beginning when absent. */
  sinceMs?: number;
  /** Give up after this long. */
  timeoutMs: number;
  /** Give up after scanning this many records: a bounded scan, whatever the topic's size. */
  maxRecords: number;
  logger: Logger;
}

/**
 * Scans a topic with a throwaway consumer (own group, never commits) until `match` accepts a
 * record. Resolves with that record, or rejects when the scan reaches its time or record limit.
 */
export async function findRecord(options: FindRecordOptions, match: (record: RawRecord) => boolean): Promise<RawRecord> {
  const client = createKafkaClient({ clientId: "outbox-lens-reader", brokers: options.brokers, logger: options.logger });
  const admin = client.admin();
  const consumer = client.consumer({ groupId: `outbox-lens-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  let scanned = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await admin.connect();
    const starts =
      options.sinceMs === undefined ? undefined : await admin.fetchTopicOffsetsByTimestamp(options.topic, options.sinceMs);
    await admin.disconnect();
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    return await new Promise<RawRecord>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no matching record on ${options.topic} within ${options.timeoutMs} ms (${scanned} scanned)`)),
        options.timeoutMs,
      );
      // KafkaJS restarts the consumer itself after retriable errors (a coordinator still loading
      // right after the broker starts); only a crash it will not restart from ends the scan.
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) reject(event.payload.error);
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            scanned += 1;
            const record: RawRecord = {
              topic,
              partition,
              offset: message.offset,
              timestamp: Number(message.timestamp),
              key: message.key,
              value: message.value,
              headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            };
            if (match(record)) resolve(record);
            else if (scanned >= options.maxRecords) {
              reject(new Error(`no matching record in the first ${options.maxRecords} records of ${options.topic}`));
            }
          },
        })
        .catch(reject);
      for (const start of starts ?? []) {
        // An offset of -1 means no record at or after the time yet: start at the end.
        if (start.offset !== "-1") consumer.seek({ topic: options.topic, partition: start.partition, offset: start.offset });
      }
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
