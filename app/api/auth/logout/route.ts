import { logoutRequestSchema } from "@/lib/contracts/auth";
import { readJsonBody } from "@/server/auth/body";
import { findAuth } from "@/server/auth/registry";
import { authRequestOf, authUnavailableResponse, errorResponse, NO_STORE } from "@/server/auth/route";

export const dynamic = "force-dynamic";

/**
 * POST /api/auth/logout `{}` → 200 and a cookie that removes the session cookie. The session ends
 * on the server too, so a copy of the cookie stops working. Signing out without a session is not
 * an error: the outcome is the same.
 */
export async function POST(request: Request): Promise<Response> {
  const auth = findAuth();
  if (!auth) return authUnavailableResponse();
  const context = authRequestOf(request);
  const refusal = auth.checkMutation({ ...context, method: request.method });
  if (refusal) return errorResponse(refusal.status, refusal.message);

  const body = await readJsonBody(request, logoutRequestSchema);
  if (!body.ok) return errorResponse(body.status, body.message);

  auth.logout(auth.sessionIdFrom(request.headers));
  return Response.json({ signedOut: true }, { headers: { ...NO_STORE, "set-cookie": auth.clearedCookie({ secure: context.tls }) } });
}
