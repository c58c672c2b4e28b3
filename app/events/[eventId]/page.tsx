import type { Metadata } from "next";
import { EventTraceView } from "@/components/events/event-trace-view";
import { PageHeader } from "@/components/shell/page-header";

export const metadata: Metadata = { title: "Event" };

/** /events/<event id>: one outbox event traced through the pipeline. The server checks the id. */
export default async function EventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  return (
    <>
      <PageHeader title="Event">
        <code className="font-mono text-ink">{eventId}</code> from the outbox row to Kafka and its consumers.
      </PageHeader>
      <EventTraceView eventId={eventId} />
    </>
  );
}
