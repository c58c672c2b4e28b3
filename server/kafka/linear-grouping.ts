import { createRequire } from "node:module";

/**
 * KafkaJS's grouping of a send's messages by partition (`producer/groupMessagesPerPartition.js`,
 * KafkaJS 2.2.4, its last release) in linear time. KafkaJS's copies a partition's whole list for
 * every message it adds (`[...current, message]`): for a 2,000-record replay to 6 partitions that
 * is ~330,000 element copies and ~2,000 arrays of garbage per send, ~6 ms of the server's time, the
 * largest share KafkaJS itself took of a replay (bench:outbox profile). The result is the same:
 * partition → its messages in the order given (unit-tested against KafkaJS's).
 *
 * KafkaJS's producer binds the function when KafkaJS loads, so it is put in KafkaJS's module cache
 * before that: by kafkajs-preload.ts, which server/kafka/kafkajs.ts (the only module that loads
 * KafkaJS) imports first.
 */

const requireFromHere = createRequire(import.meta.url);
const GROUPING = "kafkajs/src/producer/groupMessagesPerPartition.js";
const SEND_MESSAGES = "kafkajs/src/producer/sendMessages.js";

interface GroupingArgs<M> {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly M[];
  partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}

export function groupMessagesPerPartition<M>({ topic, partitionMetadata, messages, partitioner }: GroupingArgs<M>): Record<number, M[]> {
  if (partitionMetadata.length === 0) return {};
  const groups: Record<number, M[]> = {};
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (groups[partition] ??= []).push(message);
  }
  return groups;
}

/** Puts it in KafkaJS's module cache; false, changing nothing, when KafkaJS's producer was loaded before. */
export function installLinearGrouping(): boolean {
  const path = requireFromHere.resolve(GROUPING);
  const loaded = requireFromHere.cache[path]?.exports as { linearGrouping?: true } | undefined;
  if (loaded) return loaded.linearGrouping === true;
  if (requireFromHere.cache[requireFromHere.resolve(SEND_MESSAGES)]) return false;
  requireFromHere(GROUPING);
  requireFromHere.cache[path]!.exports = Object.assign(groupMessagesPerPartition, { linearGrouping: true as const });
  return true;
}
