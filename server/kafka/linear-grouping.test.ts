import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { groupMessagesPerPartition } from "./linear-grouping";

const requireHere = createRequire(import.meta.url);
// KafkaJS's own, loaded afresh (the module cache may hold the linear one in this process).
const kafkaGrouping = (() => {
  const path = requireHere.resolve("kafkajs/src/producer/groupMessagesPerPartition.js");
  const cached = requireHere.cache[path];
  delete requireHere.cache[path];
  try {
    return requireHere(path) as typeof groupMessagesPerPartition & { linearGrouping?: true };
  } finally {
    if (cached) requireHere.cache[path] = cached;
    else delete requireHere.cache[path];
  }
})();

describe("the linear grouping of messages by partition", () => {
  it("is compared with KafkaJS's own grouping, not with itself", () => {
    expect(kafkaGrouping.linearGrouping).toBeUndefined();
  });

  it("groups exactly as KafkaJS's: the same partitions, in the same order, each with its messages in order", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const partitions = 1 + random(12);
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0 }));
      const messages = Array.from({ length: random(300) }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: random(partitions) }));
      const args = { topic: "t", partitionMetadata, messages, partitioner: ({ message }: { message: { partition: number } }) => message.partition };
      const expected = kafkaGrouping(args);
      const actual = groupMessagesPerPartition(args);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      expect(actual).toEqual(expected);
    }
  });

  it("groups nothing when the topic has no partition metadata, as KafkaJS's", () => {
    const args = { topic: "t", partitionMetadata: [], messages: [{ key: "a" }], partitioner: () => 0 };
    expect(groupMessagesPerPartition(args)).toEqual(kafkaGrouping(args));
    expect(groupMessagesPerPartition(args)).toEqual({});
  });

  it("is what KafkaJS's producer uses once server/kafka/kafkajs.ts loaded KafkaJS, whichever module imported it first", () => {
    // A process of its own: in this one, a test file may have loaded KafkaJS directly already.
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const script = `
      import "@/server/kafka/replay-producer";
      import { createRequire } from "node:module";
      const require = createRequire(process.cwd() + "/package.json");
      const grouping = require("kafkajs/src/producer/groupMessagesPerPartition.js");
      console.log(JSON.stringify({ linear: grouping.linearGrouping === true }));`;
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 30_000 });
    expect(JSON.parse(output.trim().split("\n").at(-1)!)).toEqual({ linear: true });
  });
});
