import { handleAction } from "@/server/http/action-route";

export const dynamic = "force-dynamic";

/** POST /api/outbox/retry `{eventIds | filter | group, dryRun, reason, idempotencyKey, confirmCount?, rowsPerSecond?}`: failed rows back to pending. */
export function POST(request: Request): Promise<Response> {
  return handleAction(request, "retry");
}
