"use client";

import { useState, useSyncExternalStore } from "react";

function subscribe(onChange: () => void): () => void {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

/**
 * `value` while the page is visible; while it is hidden (another tab, a minimised window), the
 * value it had when it was last seen. Redrawing charts once a second for nobody costs CPU on a
 * machine where an operator keeps several dashboards open; on return the charts catch up at once,
 * because the data kept arriving underneath.
 */
export function useWhileVisible<T>(value: T): T {
  const visible = useSyncExternalStore(
    subscribe,
    () => document.visibilityState === "visible",
    () => true,
  );
  const [lastSeen, setLastSeen] = useState(value);
  // Adjusting state while rendering (React's pattern for "remember the previous value") rather than
  // in an effect: the remembered value is never a render behind.
  if (visible && lastSeen !== value) setLastSeen(value);
  return visible ? value : lastSeen;
}
