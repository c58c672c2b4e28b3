import { loginRequestSchema, type LoginResponse } from "@/lib/contracts/auth";
import { errorResponse, NO_STORE, readPublicMutation } from "@/server/auth/route";

export const dynamic = "force-dynamic";

/**
 * POST /api/auth/login `{ username, password }` → 200 `{ principal }` and the session cookie;
 * 401 wrong username or password, 429 (with Retry-After) after too many failures.
 * Same-origin JSON only, like every mutation: a cross-site page must not sign a browser in.
 */
export async function POST(request: Request): Promise<Response> {
  const mutation = await readPublicMutation(request, loginRequestSchema);
  if (mutation instanceof Response) return mutation;
  const { auth, context, body } = mutation;
  const result = await auth.login(body.username, body.password, context.remoteAddress);
  if (!result.ok) {
    return errorResponse(result.status, result.message, result.retryAfterSeconds ? { "retry-after": String(result.retryAfterSeconds) } : {});
  }
  // A browser signing in again (as someone else, say) leaves no second session behind.
  auth.logout(auth.sessionIdFrom(request.headers));
  const response: LoginResponse = { principal: result.principal };
  return Response.json(response, { headers: { ...NO_STORE, "set-cookie": auth.sessionCookie(result.sessionId, { secure: context.tls }) } });
}
