import { ACTIONS } from "@/lib/auth/roles";
import { replayRequestSchema, retryRequestSchema, type ActionKind } from "@/lib/contracts/outbox";
import { guardMutation, NO_STORE } from "@/server/auth/route";
import { getRuntime } from "@/server/runtime";
import { failureResponse } from "./route-helpers";

/**
 * POST /api/outbox/retry and /api/outbox/replay: operators and admins, same-origin JSON or a token.
 * 200 with the final ActionProgress (dry runs, small actions, duplicates), 202 with the progress so
 * far when it runs on; 409 `{error, matched}` when a large action needs the count confirmed.
 */
export async function handleAction(request: Request, kind: ActionKind): Promise<Response> {
  const guarded =
    kind === "retry"
      ? await guardMutation(request, ACTIONS.retryOutbox, retryRequestSchema)
      : await guardMutation(request, ACTIONS.replayOutbox, replayRequestSchema);
  if (guarded instanceof Response) return guarded;
  try {
    const { status, progress } = await getRuntime().actions.submit(kind, guarded.body, guarded.principal);
    return Response.json(progress, { status, headers: NO_STORE });
  } catch (error) {
    return failureResponse(error, kind);
  }
}
