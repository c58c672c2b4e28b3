import { ACTIONS } from "@/lib/auth/roles";
import { guard, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/messages/search/<id> → SearchResult (progress and the matches so far); the owner's or, for admins, anyone's. */
export async function GET(request: Request, context: { params: Promise<{ searchId: string }> }): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const { searchId } = await context.params;
  try {
    return Response.json(getRuntime().messages.searches.result(searchId, guarded.principal), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "reading the search");
  }
}
