import { logoutRequestSchema } from "@/lib/contracts/auth";
import { NO_STORE, readPublicMutation } from "@/server/auth/route";

export const dynamic = "force-dynamic";

/**
 * POST /api/auth/logout `{}` → 200 and a cookie that removes the session cookie. The session ends
 * on the server too, so a copy of the cookie stops working. Signing out without a session is not
 * an error: the outcome is the same.
 */
export async function POST(request: Request): Promise<Response> {
  const mutation = await readPublicMutation(request, logoutRequestSchema);
  if (mutation instanceof Response) return mutation;
  const { auth, context } = mutation;
  auth.logout(auth.sessionIdFrom(request.headers));
  return Response.json({ signedOut: true }, { headers: { ...NO_STORE, "set-cookie": auth.clearedCookie({ secure: context.tls }) } });
}
