import type { Metadata } from "next";
import { Suspense } from "react";
import { OutboxOperations } from "@/components/outbox/outbox-view";
import { Skeleton } from "@/components/overview/stat";
import { PageHeader } from "@/components/shell/page-header";
import { findRuntime } from "@/server/runtime";

export const metadata: Metadata = { title: "Outbox" };

export default function OutboxPage() {
  const table = findRuntime()?.config.postgres.outboxTable.qualified;
  return (
    <>
      <PageHeader title="Outbox">
        The outbox table{table ? (
          <>
            {" "}
            <code className="font-mono text-ink">{table}</code>
          </>
        ) : null}
        : failures grouped by cause, every row by filter, and retry or replay, each recorded in the audit log.
      </PageHeader>
      {/* The view reads the URL's query string in the browser (useSearchParams), hence the boundary. */}
      <Suspense fallback={<Skeleton className="h-40 w-full" />}>
        <OutboxOperations />
      </Suspense>
    </>
  );
}
