"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { HealthReport } from "@/lib/contracts/health";
import { healthKeys } from "@/components/pipeline/health-keys";
import { LiveConnectionProvider } from "@/components/realtime/live-connection";

/**
 * Client-side state for the whole app: one QueryClient per tab and the live socket. The server
 * passes the report it already holds, so the first paint shows real health instead of "unknown".
 */
export function AppProviders({ initialHealth, children }: { initialHealth: HealthReport | null; children: ReactNode }) {
  const [queryClient] = useState(() => {
    const client = new QueryClient();
    if (initialHealth) client.setQueryData(healthKeys.report(), initialHealth);
    return client;
  });

  return (
    <QueryClientProvider client={queryClient}>
      <LiveConnectionProvider>{children}</LiveConnectionProvider>
    </QueryClientProvider>
  );
}
