import { randomInt } from "node:crypto";
import type { ICustomPartitioner, PartitionerArgs } from "kafkajs";

/**
 * The producers' partitioner: Kafka's Java client's choice for keyed records (murmur2 of the key's
 * bytes, positive, modulo the partition count), so a replayed record lands on the partition its
 * original key chose, exactly as KafkaJS's `Partitioners.DefaultPartitioner` decides (unit-tested
 * against it). KafkaJS's computes murmur2 with 64-bit Longs built from BigInts, ~10 µs per key,
 * and copies the partition list per record; this uses 32-bit integer arithmetic (Math.imul).
 * Records without a key go round-robin over the partitions with a leader, as KafkaJS's do.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) of the bytes, as a signed 32-bit integer. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  switch (length & 3) {
    case 3:
      h ^= data[tail + 2]! << 16;
    // falls through
    case 2:
      h ^= data[tail + 1]! << 8;
    // falls through
    case 1:
      h ^= data[tail]!;
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

function keyBytes(key: Buffer | string): Uint8Array {
  return Buffer.isBuffer(key) ? key : Buffer.from(String(key));
}

/** The partition of a record with this key (its UTF-8 bytes when text) on a topic of `partitions` partitions. */
export function keyedPartition(key: Buffer | string, partitions: number): number {
  return (murmur2(keyBytes(key)) & 0x7fffffff) % partitions;
}

export const createJavaCompatiblePartitioner: ICustomPartitioner = () => {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const partitions = partitionMetadata.length;
    if (message.key !== null && message.key !== undefined) return keyedPartition(message.key, partitions);
    const counter = (counters.get(topic) ?? randomInt(2 ** 32 - 1)) + 1;
    counters.set(topic, counter);
    const available = partitionMetadata.filter((partition) => partition.leader >= 0);
    if (available.length > 0) return available[(counter & 0x7fffffff) % available.length]!.partitionId;
    return (counter & 0x7fffffff) % partitions;
  };
};
