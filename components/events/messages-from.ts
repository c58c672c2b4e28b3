import type { EventTrace, TraceSource } from "@/lib/contracts/events";

function ownText(own: TraceSource | undefined): string {
  switch (own?.from) {
    case "tail":
      return "found in the live tail's recent records";
    case "search":
      return `found by a bounded search${own.partition === null ? "" : ` of partition ${own.partition}`}`;
    default:
      return "not searched";
  }
}

/**
 * How the event's records were found, in words: on the outbox topic (the first source), then on
 * each topic its replays went to. A topic not searched is left out of the second part: the
 * search note says why.
 */
export function messagesFromText(trace: Pick<EventTrace, "sources">): string {
  const [own, ...replayTopics] = trace.sources;
  const searched = replayTopics.filter((source) => source.from === "search").map((source) => `${source.topic} partition ${source.partition}`);
  if (searched.length === 0) return ownText(own);
  const replays = `by a bounded search of ${searched.join(", ")} around its replays`;
  return own?.from === "tail" || own?.from === "search" ? `${ownText(own)}, and ${replays}` : `not searched on the outbox topic; found ${replays}`;
}
