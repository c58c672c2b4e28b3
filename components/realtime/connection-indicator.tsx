"use client";

import { useLiveConnection, type LiveConnectionState } from "./live-connection";

const PRESENTATION: Record<LiveConnectionState, { label: string; dot: string; title: string }> = {
  connecting: { label: "Connecting", dot: "bg-pending animate-pulse", title: "Opening the live connection to the server" },
  connected: { label: "Live", dot: "bg-up", title: "Live: the server pushes every health report" },
  reconnecting: { label: "Reconnecting", dot: "bg-pending animate-pulse", title: "The live connection was lost; retrying" },
  offline: { label: "Offline", dot: "bg-down", title: "The server cannot be reached; what is shown may be stale" },
};

/** The socket's state. `data-state` is what tests wait on. */
export function ConnectionIndicator() {
  const state = useLiveConnection();
  const { label, dot, title } = PRESENTATION[state];
  return (
    <span
      data-testid="conn-state"
      data-state={state}
      title={title}
      className="inline-flex items-center gap-1.5 rounded border border-line bg-surface px-2 py-0.5 text-xs whitespace-nowrap text-ink-muted"
    >
      <span aria-hidden className={`size-1.5 shrink-0 rounded-full ${dot}`} />
      {label}
    </span>
  );
}
