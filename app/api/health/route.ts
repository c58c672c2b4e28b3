import type { HealthUnavailable } from "@/lib/contracts/health";
import { ACTIONS } from "@/lib/auth/roles";
import { guard } from "@/server/auth/route";
import { findRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

// A report this young is served as is: a burst of requests (several tabs, a load balancer's probe)
// costs one round of checks per second at most instead of one per request.
const FRESH_REPORT_MAX_AGE_MS = 1_000;

const NO_STORE = { "cache-control": "no-store" };

/** GET /api/health → HealthReport; 200 when every component is up, 503 otherwise. */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const runtime = findRuntime();
  if (!runtime) {
    const body: HealthUnavailable = { error: "the Outbox Lens server runtime is not running" };
    return Response.json(body, { status: 503, headers: NO_STORE });
  }
  try {
    const report = await runtime.health.reportNoOlderThan(FRESH_REPORT_MAX_AGE_MS);
    return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: NO_STORE });
  } catch (error) {
    // The checks never throw by contract; if one does, the detail goes to the log, not the client.
    console.error("GET /api/health failed:", error);
    const body: HealthUnavailable = { error: "health check failed; see the server log" };
    return Response.json(body, { status: 500, headers: NO_STORE });
  }
}
