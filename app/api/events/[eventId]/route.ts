import { z } from "zod";
import { ACTIONS } from "@/lib/auth/roles";
import { errorResponse, guard, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { EventNotFoundError, traceEvent } from "@/server/outbox/trace";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

const eventIdSchema = z.uuid();

/** GET /api/events/<event_id> → EventTrace; 404 for an unknown id, 422 for one that is not a UUID. */
export async function GET(request: Request, context: { params: Promise<{ eventId: string }> }): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const { eventId } = await context.params;
  if (!eventIdSchema.safeParse(eventId).success) return errorResponse(422, "eventId: must be a UUID");
  try {
    const trace = await traceEvent(getRuntime(), eventId, guarded.auth.maskFieldsFor(guarded.principal));
    return Response.json(trace, { headers: NO_STORE });
  } catch (error) {
    if (error instanceof EventNotFoundError) return errorResponse(404, error.message);
    return failureResponse(error, "tracing the event");
  }
}
