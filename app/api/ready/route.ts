import { findRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * GET /api/ready → 200 once this process serves requests with its runtime, whatever the pipeline's
 * health. For process supervisors and test runners that must wait for the server, not for the
 * pipeline (GET /api/health answers 503 while a component is down).
 */
export function GET(): Response {
  const ready = findRuntime() !== null;
  return Response.json({ ready }, { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
