import { handleAction } from "@/server/http/action-route";

export const dynamic = "force-dynamic";

/** POST /api/outbox/replay `{eventIds | filter | group, dryRun, reason, idempotencyKey, topic?, confirmCount?, rowsPerSecond?}`: events produced to Kafka again. */
export function POST(request: Request): Promise<Response> {
  return handleAction(request, "replay");
}
