import { useQuery } from "@tanstack/react-query";
import { healthReportSchema, healthUnavailableSchema, type HealthReport } from "@/lib/contracts/health";
import { useLiveConnection } from "@/components/realtime/live-connection";
import { healthKeys } from "./health-keys";

// While the socket is not connected, health is fetched over HTTP at this period so the header
// does not freeze on the last pushed report. While connected the socket pushes every report and
// nothing is polled.
export const HEALTH_FALLBACK_POLL_MS = 5_000;

/** GET /api/health. 503 is a valid answer (something is down) and carries a report too. */
export async function fetchHealthReport(signal?: AbortSignal): Promise<HealthReport> {
  let response: Response;
  try {
    response = await fetch("/api/health", { cache: "no-store", signal, headers: { accept: "application/json" } });
  } catch (error) {
    // Browsers say only "Failed to fetch"; what the operator needs to know is where it failed.
    throw new Error(`server unreachable (${error instanceof Error ? error.message : String(error)})`);
  }
  const body: unknown = await response.json().catch(() => null);
  const report = healthReportSchema.safeParse(body);
  if (report.success) return report.data;
  const unavailable = healthUnavailableSchema.safeParse(body);
  throw new Error(unavailable.success ? unavailable.data.error : `GET /api/health answered ${response.status}`);
}

export function useHealthReportQuery() {
  const connection = useLiveConnection();
  return useQuery({
    queryKey: healthKeys.report(),
    queryFn: ({ signal }) => fetchHealthReport(signal),
    // Fresh data arrives by push; a cached report is replaced, never "stale".
    staleTime: Infinity,
    // A failed fetch is retried by the fallback poll, not by an immediate retry burst.
    retry: false,
    refetchOnWindowFocus: false,
    refetchInterval: connection === "connected" ? false : HEALTH_FALLBACK_POLL_MS,
  });
}
