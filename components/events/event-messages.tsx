import type { EventTrace } from "@/lib/contracts/events";
import { CHANGE_OP_LABELS } from "@/lib/debezium/types";
import { formatOffset } from "@/lib/format/numbers";
import { formatUtcTimestamp } from "@/lib/format/timestamp";
import { messagesFromText } from "./messages-from";

const CELL = "px-2 py-1 whitespace-nowrap";

function opLabel(op: string | null): string {
  if (op === null) return "not a change event";
  return op in CHANGE_OP_LABELS ? CHANGE_OP_LABELS[op as keyof typeof CHANGE_OP_LABELS] : op;
}

/** The event's records on Kafka: its change events, and the records replays produced. */
export function EventMessages({ trace }: { trace: EventTrace }) {
  return (
    <div className="space-y-1">
      <p className="text-[11px] text-ink-muted">
        <span data-testid="trace-messages-from" data-from={trace.messagesFrom}>
          {messagesFromText(trace)}
        </span>
        {trace.searchNote ? (
          <span data-testid="trace-search-note" className="text-pending">
            {" "}
            · {trace.searchNote}
          </span>
        ) : null}
      </p>
      <div className="overflow-x-auto rounded border border-line bg-surface">
        <table className="w-full text-xs" data-testid="trace-messages">
          <thead>
            <tr className="border-b border-line text-left text-[11px] text-ink-muted">
              <th className={`${CELL} font-normal`}>Topic</th>
              <th className={`${CELL} text-right font-normal`}>Partition</th>
              <th className={`${CELL} text-right font-normal`}>Offset</th>
              <th className={`${CELL} font-normal`}>Op</th>
              <th className={`${CELL} font-normal`}>Status</th>
              <th className={`${CELL} font-normal`}>Kafka time</th>
              <th className={`${CELL} font-normal`}>Replay</th>
            </tr>
          </thead>
          <tbody>
            {trace.messages.length === 0 ? (
              <tr>
                <td colSpan={7} className={`${CELL} py-2 text-ink-faint`}>
                  No record of this event found on Kafka.
                </td>
              </tr>
            ) : (
              trace.messages.map((message) => (
                <tr
                  key={`${message.topic}/${message.partition}/${message.offset}`}
                  data-testid="trace-message"
                  data-topic={message.topic}
                  data-partition={message.partition}
                  data-offset={message.offset}
                  data-op={message.op ?? ""}
                  data-status={message.status ?? ""}
                  data-replay-id={message.replayId ?? ""}
                  className="border-b border-line last:border-0"
                >
                  <td className={`${CELL} font-mono text-[11px]`}>{message.topic}</td>
                  <td className={`${CELL} tabular text-right`}>{message.partition}</td>
                  <td className={`${CELL} tabular text-right`}>{formatOffset(message.offset)}</td>
                  <td className={CELL}>{opLabel(message.op)}</td>
                  <td className={CELL}>{message.status ?? "—"}</td>
                  <td className={`${CELL} tabular text-ink-muted`}>{formatUtcTimestamp(message.timestamp)}</td>
                  <td className={CELL}>
                    {message.replayId ? (
                      <span title={`x-replay-id ${message.replayId}`} className="rounded-sm border border-accent/50 px-1.5 py-px font-mono text-[11px] text-accent">
                        replay {message.replayId}
                      </span>
                    ) : (
                      <span className="text-ink-faint">—</span>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
