import { ACTIONS } from "@/lib/auth/roles";
import { guard, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/outbox/failure-groups → FailureGroupsResponse (recomputed every few seconds, with its time). */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  try {
    return Response.json(await getRuntime().failureGroups.get(), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "grouping failed rows");
  }
}
