import type { Metadata } from "next";
import { Suspense } from "react";
import { MessagesView } from "@/components/messages/messages-view";
import { Skeleton } from "@/components/overview/stat";
import { PageHeader } from "@/components/shell/page-header";
import { findRuntime } from "@/server/runtime";

export const metadata: Metadata = { title: "Messages" };

export default function MessagesPage() {
  const topic = findRuntime()?.config.kafka.outboxTopic ?? null;
  return (
    <>
      <PageHeader title="Messages">
        {topic ? (
          <>
            <code className="font-mono text-ink">{topic}</code> and the other readable topics:{" "}
          </>
        ) : null}
        the live tail, browse by offset or time, and bounded search, every record decoded.
      </PageHeader>
      {/* The view reads the URL's query string in the browser (useSearchParams), hence the boundary. */}
      <Suspense fallback={<Skeleton className="h-40 w-full" />}>
        <MessagesView outboxTopic={topic} />
      </Suspense>
    </>
  );
}
