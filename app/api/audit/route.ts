import { NO_STORE } from "@/server/auth/route";
import { failureResponse, readAuditRequest } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/audit?actor=&action=&eventId=&from=&to=&limit=&cursor= → AuditPage; admins see everyone's entries, others their own. */
export async function GET(request: Request): Promise<Response> {
  const read = readAuditRequest(request);
  if (read instanceof Response) return read;
  try {
    return Response.json(await getRuntime().audit.list(read.query, read.onlyActor), { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "reading the audit log");
  }
}
