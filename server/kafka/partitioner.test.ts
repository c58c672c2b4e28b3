import { createRequire } from "node:module";
import { Partitioners, type PartitionMetadata } from "kafkajs";
import { describe, expect, it } from "vitest";
import { createJavaCompatiblePartitioner, murmur2 } from "./partitioner";

const requireHere = createRequire(import.meta.url);
const kafkajsMurmur2 = requireHere("kafkajs/src/producer/partitioners/default/murmur2.js") as (key: Buffer | string) => number;

function metadata(count: number, leaderless: number[] = []): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
}

describe("the Java-compatible partitioner", () => {
  it("computes Kafka's murmur2 exactly as KafkaJS does, for keys of every length and byte", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const keys: (string | Buffer)[] = ["", "a", "ab", "abc", "abcd", '{"event_id":"0b7e3f4c-2f0a-4d55-9a37-1b2b3c4d5e6f"}', "ü€😀"];
    for (let i = 0; i < 2_000; i++) keys.push(Buffer.from(Array.from({ length: random(80) }, () => random(256))));
    for (const key of keys) expect(murmur2(Buffer.from(key as string))).toBe(kafkajsMurmur2(key));
  });

  it("picks the partition KafkaJS's DefaultPartitioner picks for keyed records and explicit partitions", () => {
    const ours = createJavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 50]) {
      const partitionMetadata = metadata(partitions);
      for (let i = 0; i < 500; i++) {
        const message = i % 10 === 0 ? { key: null, value: "v", partition: i % partitions } : { key: i % 2 ? `key-${i}` : Buffer.from(`bytes-${i}`), value: "v" };
        expect(ours({ topic: "t", partitionMetadata, message })).toBe(theirs({ topic: "t", partitionMetadata, message }));
      }
    }
  });

  it("spreads records without a key round-robin over the partitions that have a leader", () => {
    const partitioner = createJavaCompatiblePartitioner();
    const partitionMetadata = metadata(4, [1]);
    const chosen = Array.from({ length: 9 }, () => partitioner({ topic: "t", partitionMetadata, message: { key: null, value: "v" } }));
    expect(new Set(chosen)).toEqual(new Set([0, 2, 3]));
    for (let i = 1; i < chosen.length; i++) expect([0, 2, 3].indexOf(chosen[i]!)).toBe(([0, 2, 3].indexOf(chosen[i - 1]!) + 1) % 3);
  });
});
