import { ACTIONS, can } from "@/lib/auth/roles";
import { auditQuerySchema } from "@/lib/contracts/audit";
import { guard, NO_STORE } from "@/server/auth/route";
import { failureResponse, parseQuery } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/audit?actor=&action=&eventId=&from=&to=&limit=&cursor= → AuditPage; admins see everyone's entries, others their own. */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const query = parseQuery(request, auditQuerySchema);
  if (query instanceof Response) return query;
  const onlyActor = can(guarded.principal.role, ACTIONS.readAllAudit) ? null : guarded.principal;
  try {
    return Response.json(await getRuntime().audit.list(query, onlyActor), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "reading the audit log");
  }
}
