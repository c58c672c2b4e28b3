import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "./kafkajs";
import type { KafkaClient } from "./client";
import { fastRecordDecoderInstalled } from "./fast-record-decoder";

/**
 * Reads a topic from the beginning with a bare KafkaJS consumer that does nothing with the records,
 * until `count` records arrived: the baseline the tail's throughput is compared with
 * (npm run bench:tail). Resolves with the time from the first record to the last.
 */
export async function drainTopic(client: KafkaClient, topic: string, count: number, timeoutMs: number): Promise<{ records: number; elapsedMs: number }> {
  const consumer = client.consumer({ groupId: `outbox-lens-bench-${randomUUID()}`, maxBytes: 16 * 1024 * 1024, maxBytesPerPartition: 4 * 1024 * 1024 });
  let records = 0;
  let first = 0;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`drained only ${records} of ${count} records in ${timeoutMs} ms`)), timeoutMs);
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) reject(event.payload.error);
      });
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (records === 0) first = performance.now();
            records += batch.messages.length;
            if (records >= count) resolve({ records, elapsedMs: performance.now() - first });
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/**
 * {@link drainTopic} with KafkaJS as published: for a process of its own in which Outbox Lens's
 * client, which installs its replacements inside KafkaJS (see client.ts), was never created.
 * Resolves with `stock`: whether KafkaJS's own record-batch decoder did the work.
 */
export async function drainTopicWithStockKafkaJS(brokers: string[], topic: string, count: number, timeoutMs: number): Promise<{ records: number; elapsedMs: number; stock: boolean }> {
  const kafka = new Kafka({ clientId: "outbox-lens-bench-stock", brokers, logLevel: logLevel.NOTHING });
  const result = await drainTopic(kafka as unknown as KafkaClient, topic, count, timeoutMs);
  return { ...result, stock: !fastRecordDecoderInstalled() };
}
