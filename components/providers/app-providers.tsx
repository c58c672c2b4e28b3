"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { HealthReport } from "@/lib/contracts/health";
import { metricsKeys } from "@/components/metrics/metrics-keys";
import { healthKeys } from "@/components/pipeline/health-keys";
import { LiveConnectionProvider } from "@/components/realtime/live-connection";

/**
 * Client-side state for the whole app: one QueryClient per tab and the live socket. The server
 * passes the report it already holds, so the first paint shows real health instead of "unknown".
 */
export function AppProviders({ initialHealth, children }: { initialHealth: HealthReport | null; children: ReactNode }) {
  const [queryClient] = useState(() => {
    const client = new QueryClient();
    // Pushed data is replaced whole every second: TanStack Query's structural sharing would
    // compare each new snapshot, and the 15-minute history on every append, field by field with
    // the last (56 ms for the history on connect, on a busy machine; a long task on every page).
    client.setQueryDefaults(metricsKeys.all, { structuralSharing: false });
    client.setQueryDefaults(healthKeys.report(), { structuralSharing: false });
    if (initialHealth) client.setQueryData(healthKeys.report(), initialHealth);
    return client;
  });

  return (
    <QueryClientProvider client={queryClient}>
      <LiveConnectionProvider>{children}</LiveConnectionProvider>
    </QueryClientProvider>
  );
}
