import { ACTIONS } from "@/lib/auth/roles";
import { outboxRowsQuerySchema } from "@/lib/contracts/outbox";
import { guard, NO_STORE } from "@/server/auth/route";
import { failureResponse, parseQuery } from "@/server/http/route-helpers";
import { listOutboxRows } from "@/server/outbox/rows";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/outbox/rows?status=&eventType=&…&order=newest&limit=50&cursor= → OutboxRowsPage (keyset pages). */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const query = parseQuery(request, outboxRowsQuerySchema);
  if (query instanceof Response) return query;
  try {
    return Response.json(await listOutboxRows(getRuntime().outbox, query), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "reading outbox rows");
  }
}
