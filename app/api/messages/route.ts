import { ACTIONS } from "@/lib/auth/roles";
import { browseQuerySchema } from "@/lib/contracts/messages";
import { guard, NO_STORE } from "@/server/auth/route";
import { failureResponse, parseQuery } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * GET /api/messages?topic=&partition=all|N&from=beginning|end|end-N|<offset>|<ISO time>|@p:o,…&dir=&limit=
 * → BrowsePage: decoded messages in log order with the cursors to the pages on either side.
 */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const query = parseQuery(request, browseQuerySchema);
  if (query instanceof Response) return query;
  try {
    return Response.json(await getRuntime().messages.reader.browse(query, guarded.auth.maskFieldsFor(guarded.principal)), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "reading messages");
  }
}
