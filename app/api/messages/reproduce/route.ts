import { ACTIONS } from "@/lib/auth/roles";
import { reproduceRequestSchema } from "@/lib/contracts/messages";
import { guardMutation, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * POST /api/messages/reproduce `{topic, partition, offset, targetTopic?, reason, idempotencyKey}`
 * → ReproduceResponse once Kafka acknowledged the record (acks=all). Operators and admins; audited
 * as message:reproduce; a repeated idempotency key returns the first request's entry.
 */
export async function POST(request: Request): Promise<Response> {
  const guarded = await guardMutation(request, ACTIONS.replayOutbox, reproduceRequestSchema);
  if (guarded instanceof Response) return guarded;
  try {
    const result = await getRuntime().messages.reproduce(guarded.body, guarded.principal);
    return Response.json(result, { status: result.duplicate ? 200 : 201, headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "producing the record again");
  }
}
