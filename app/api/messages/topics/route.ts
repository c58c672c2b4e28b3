import { ACTIONS } from "@/lib/auth/roles";
import type { TopicsResponse } from "@/lib/contracts/messages";
import { guard, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/messages/topics → TopicsResponse: the topics this dashboard reads, with each partition's first and next offsets. */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  try {
    const body: TopicsResponse = { topics: await getRuntime().messages.reader.topics() };
    return Response.json(body, { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "listing topics");
  }
}
