import { ACTIONS } from "@/lib/auth/roles";
import { exportQuerySchema } from "@/lib/contracts/messages";
import { guard } from "@/server/auth/route";
import { failureResponse, parseQuery } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/**
 * GET /api/messages/export?topic=&partition=&from=&to=&format=jsonl|csv&limit=&filter=<JSON>
 * → the range's (matching) records, streamed as a download.
 */
export async function GET(request: Request): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const query = parseQuery(request, exportQuerySchema);
  if (query instanceof Response) return query;
  try {
    const { stream, filename, contentType } = await getRuntime().messages.exportMessages(query, guarded.auth.maskFieldsFor(guarded.principal));
    return new Response(stream, {
      headers: {
        "content-type": contentType,
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    return failureResponse(error, "exporting messages");
  }
}
