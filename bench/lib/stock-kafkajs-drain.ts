// Run in a process of its own by bench:tail: a bare consumer of KafkaJS as published (none of the
// replacements Outbox Lens's client installs inside KafkaJS), reading COUNT records of a topic
// from its beginning. Prints {records, elapsedMs, stock} as JSON.
// Usage: tsx bench/lib/stock-kafkajs-drain.ts BROKERS TOPIC COUNT TIMEOUT_MS
import { drainTopicWithStockKafkaJS } from "@/server/kafka/drain";

const [brokers, topic, count, timeoutMs] = process.argv.slice(2);
if (!brokers || !topic || !count || !timeoutMs) throw new Error("usage: stock-kafkajs-drain BROKERS TOPIC COUNT TIMEOUT_MS");
process.stdout.write(JSON.stringify(await drainTopicWithStockKafkaJS(brokers.split(","), topic, Number(count), Number(timeoutMs))));
