import { ACTIONS } from "@/lib/auth/roles";
import { messagePositionSchema, messageQuerySchema } from "@/lib/contracts/messages";
import { describeZodError } from "@/lib/errors/zod";
import { errorResponse, guard, NO_STORE } from "@/server/auth/route";
import { failureResponse, parseQuery } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

/** GET /api/messages/<topic>/<partition>/<offset>[?full=1] → MessageView; 404 when no record is there. */
export async function GET(request: Request, context: { params: Promise<{ topic: string; partition: string; offset: string }> }): Promise<Response> {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const position = messagePositionSchema.safeParse(await context.params);
  if (!position.success) return errorResponse(422, describeZodError(position.error));
  const query = parseQuery(request, messageQuerySchema);
  if (query instanceof Response) return query;
  const { topic, partition, offset } = position.data;
  try {
    const view = await getRuntime().messages.reader.one(topic, partition, Number(offset), query.full === "1", guarded.auth.maskFieldsFor(guarded.principal));
    return Response.json(view, { headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, "reading the message");
  }
}
