import { z } from "zod";
import { ACTIONS, can } from "@/lib/auth/roles";
import { errorResponse, guardMutation, NO_STORE } from "@/server/auth/route";
import { failureResponse } from "@/server/http/route-helpers";
import { getRuntime } from "@/server/runtime";

export const dynamic = "force-dynamic";

const cancelRequestSchema = z.strictObject({});

/**
 * POST /api/outbox/actions/<id>/cancel `{}` → ActionProgress once the action has stopped (between
 * two batches: a batch in flight completes or rolls back whole). Its owner or an admin.
 */
export async function POST(request: Request, context: { params: Promise<{ actionId: string }> }): Promise<Response> {
  const guarded = await guardMutation(request, ACTIONS.retryOutbox, cancelRequestSchema);
  if (guarded instanceof Response) return guarded;
  const { actionId } = await context.params;
  const id = Number(actionId);
  if (!Number.isSafeInteger(id) || id <= 0) return errorResponse(422, "actionId: must be a positive integer");
  const { actions } = getRuntime();
  const owner = actions.ownerOf(id);
  const principal = guarded.principal;
  if (owner && !(owner.kind === principal.kind && owner.name === principal.name) && !can(principal.role, ACTIONS.readAllAudit)) {
    return errorResponse(403, `action ${id} was started by ${owner.name}; only they or an admin may cancel it`);
  }
  try {
    const progress = await actions.cancel(id);
    return progress ? Response.json(progress, { headers: NO_STORE }) : errorResponse(404, `no retry or replay action ${id}`);
  } catch (error) {
    return failureResponse(error, "cancelling the action");
  }
}
