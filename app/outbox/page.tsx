import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { findRuntime } from "@/server/runtime";

export const metadata: Metadata = { title: "Outbox" };

export default function OutboxPage() {
  const table = findRuntime()?.config.postgres.outboxTable.qualified;
  return (
    <NotBuiltYet
      title="Outbox"
      summary="The outbox table: backlog, failures and operator actions."
      plans={[
        "Counts by status, oldest pending age, failures grouped by error",
        "Replication slot lag and activity",
        "Retry failed rows and replay events to Kafka, each recorded in the audit log",
      ]}
      watches={table ? <>Table: <code className="font-mono text-ink">{table}</code></> : null}
    />
  );
}
