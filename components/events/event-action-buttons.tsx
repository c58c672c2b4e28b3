"use client";

import { useState } from "react";
import type { EventTrace } from "@/lib/contracts/events";
import { WRITE_BUTTON_CLASS } from "@/components/forms/field-styles";
import { ActionDialog } from "@/components/outbox/action-dialog";
import type { ActionChoice } from "@/components/outbox/action-target";
import { useOutboxPermissions } from "@/components/outbox/use-outbox-permissions";

/** Retry (a failed row only) and replay of this one event, through the same dialog as the outbox page. */
export function EventActionButtons({ row }: { row: EventTrace["row"] }) {
  const permissions = useOutboxPermissions();
  const [action, setAction] = useState<ActionChoice | null>(null);
  const canRetry = permissions.retry && row.status === "failed";
  const target = { eventIds: [row.eventId] };
  // The dialog stays open when the buttons go (a retried row is no longer failed): it shows the progress.
  return (
    <>
      <span className="inline-flex gap-1.5">
        {canRetry ? (
          <button type="button" data-testid="trace-retry" onClick={() => setAction({ kind: "retry", target })} className={WRITE_BUTTON_CLASS}>
            Retry
          </button>
        ) : null}
        {permissions.replay ? (
          <button type="button" data-testid="trace-replay" onClick={() => setAction({ kind: "replay", target })} className={WRITE_BUTTON_CLASS}>
            Replay
          </button>
        ) : null}
      </span>
      {action ? <ActionDialog choice={action} onClose={() => setAction(null)} /> : null}
    </>
  );
}
