import { ACTIONS } from "@/lib/auth/roles";
import { errorResponse, guard, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/outbox/actions/<id> → ActionProgress. Everyone who may read may follow an action. */
export async function GET(request: Request, context: { params: Promise<{ actionId: string }> }): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const { actionId } = await context.params;
  const id = Number(actionId);
  if (!Number.isSafeInteger(id) || id <= 0) return errorResponse(422, "actionId: must be a positive integer");
  try {
    const progress = await getRuntime().actions.get(id);
    return progress ? Response.json(progress, { headers: NO_STORE }) : errorResponse(404, `no retry or replay action ${id}`);
  } catch (error) {
    return failureResponse(error, "reading the action");
  }
}
