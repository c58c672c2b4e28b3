import { ACTIONS } from "@/lib/auth/roles";
import { guard } from "@/server/auth/route";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * Prometheus scrape endpoint: the latest snapshot's numbers and the process's own metrics. With
 * sign-in required, Prometheus sends a viewer's API token (`authorization: { credentials: … }` in
 * its scrape config).
 */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const { prometheus } = getRuntime();
  return new Response(await prometheus.metrics(), {
    headers: { "content-type": prometheus.contentType, "cache-control": "no-store" },
  });
}
