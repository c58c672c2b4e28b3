import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { findRuntime } from "@/server/runtime";

export const metadata: Metadata = { title: "Consumers" };

export default function ConsumersPage() {
  const group = findRuntime()?.config.kafka.processorGroupId;
  return (
    <NotBuiltYet
      title="Consumers"
      summary="Consumer groups reading the topic, and how far behind they are."
      plans={[
        "Lag per partition in offsets and in time",
        "Group state and members",
        "Latency from Kafka to processed, per event",
      ]}
      watches={group ? <>Group: <code className="font-mono text-ink">{group}</code></> : null}
    />
  );
}
