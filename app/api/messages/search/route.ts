import { ACTIONS } from "@/lib/auth/roles";
import { searchRequestSchema } from "@/lib/contracts/messages";
import { guardMutation, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * POST /api/messages/search (SearchRequest) → 202 SearchProgress: the search runs on; watch it
 * over the socket (`search:watch`) or GET /api/messages/search/<id>. A viewer's search sees
 * masked fields masked, so it cannot find what it may not read.
 */
export async function POST(request: Request): Promise<Response> {
  const guarded = await guardMutation(request, ACTIONS.read, searchRequestSchema);
  if (guarded instanceof Response) return guarded;
  try {
    const progress = await getRuntime().messages.searches.start(guarded.body, guarded.principal, guarded.auth.maskFieldsFor(guarded.principal));
    return Response.json(progress, { status: 202, headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "starting the search");
  }
}
