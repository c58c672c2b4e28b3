"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { connectorRestartResponseSchema, type ConnectorRestartRequest } from "@/lib/contracts/connector";
import { postAuthJson } from "@/components/auth/auth-request";
import { useSession } from "@/components/auth/session";

/** How long the confirm button stays armed after the first click. */
const CONFIRM_WINDOW_MS = 5_000;

/**
 * For operators and admins: restart the connector's failed tasks (or all of them) through Kafka
 * Connect. Hidden from viewers and in read-only mode; the server refuses them anyway. Two clicks:
 * the first arms the button for a few seconds, the second sends the request.
 */
export function RestartConnector({ hasFailedTasks }: { hasFailedTasks: boolean }) {
  const { data: session } = useSession();
  const [armedAt, setArmedAt] = useState<number | null>(null);
  const restart = useMutation({
    mutationFn: async (request: ConnectorRestartRequest) => connectorRestartResponseSchema.parse(await postAuthJson("/api/connector/restart", request)),
    onSettled: () => setArmedAt(null),
  });
  if (!session?.permissions.restartConnector) return null;

  const onlyFailed = hasFailedTasks;
  const label = onlyFailed ? "Restart failed tasks" : "Restart connector";
  const armed = armedAt !== null;
  return (
    <div className="flex flex-wrap items-center gap-2 border-t border-line pt-2 text-xs">
      <button
        type="button"
        data-testid="restart-connector"
        disabled={restart.isPending}
        onClick={(event) => {
          if (!armed) {
            setArmedAt(event.timeStamp);
            setTimeout(() => setArmedAt(null), CONFIRM_WINDOW_MS);
            return;
          }
          restart.mutate({ onlyFailed });
        }}
        className={`rounded border px-2 py-0.5 ${armed ? "border-down text-down" : "border-line-strong text-ink"} hover:bg-surface-raised disabled:opacity-50`}
      >
        {restart.isPending ? "Restarting…" : armed ? `Confirm: ${label.toLowerCase()}` : label}
      </button>
      {restart.isSuccess ? (
        <span data-testid="restart-result" className="text-ink-muted">
          restart requested; the state above follows within seconds
        </span>
      ) : null}
      {restart.isError ? (
        <span data-testid="restart-error" role="alert" className="text-down">
          {restart.error.message}
        </span>
      ) : null}
    </div>
  );
}
