import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { findRuntime } from "@/server/runtime";

export const metadata: Metadata = { title: "Messages" };

export default function MessagesPage() {
  const topic = findRuntime()?.config.kafka.outboxTopic;
  return (
    <NotBuiltYet
      title="Messages"
      summary="Live tail and search of the change-data-capture topic."
      plans={[
        "Live tail of the topic, sampled under high rates with exact counts alongside",
        "Bounded browse and search by partition, offset, time, key and event id",
        "Decoded Debezium envelopes: operation, before/after, source position, tombstones",
      ]}
      watches={topic ? <>Topic: <code className="font-mono text-ink">{topic}</code></> : null}
    />
  );
}
