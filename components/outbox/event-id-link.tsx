import Link from "next/link";

/** Characters of an event id shown in a table: enough to tell rows apart; the whole id is on hover and in the trace. */
export const SHORT_EVENT_ID_CHARS = 8;

/** An event id, short, linking to its trace page. */
export function EventIdLink({ eventId, className = "" }: { eventId: string; className?: string }) {
  return (
    <Link href={`/events/${encodeURIComponent(eventId)}`} title={eventId} className={`font-mono text-[11px] text-accent hover:underline ${className}`}>
      {eventId.slice(0, SHORT_EVENT_ID_CHARS)}
    </Link>
  );
}
