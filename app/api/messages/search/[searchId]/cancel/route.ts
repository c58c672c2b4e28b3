import { z } from "zod";
import { ACTIONS } from "@/lib/auth/roles";
import { guardMutation, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

const cancelRequestSchema = z.strictObject({});

/** POST /api/messages/search/<id>/cancel `{}` → SearchProgress once the scan has stopped. */
export async function POST(request: Request, context: { params: Promise<{ searchId: string }> }): Promise<Response> {
  const guarded = await guardMutation(request, ACTIONS.read, cancelRequestSchema);
  if (guarded instanceof Response) return guarded;
  const { searchId } = await context.params;
  try {
    return Response.json(await getRuntime().messages.searches.cancel(searchId, guarded.principal), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "cancelling the search");
  }
}
