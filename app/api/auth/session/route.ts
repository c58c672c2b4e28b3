import { findAuth } from "@/server/auth/registry";
import { authRequestOf, authUnavailableResponse, NO_STORE } from "@/server/auth/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/auth/session → SessionResponse: who the browser is signed in as (null when nobody),
 * whether the dashboard is read-only, what this principal may do and which fields it sees masked.
 * Always 200 when the server runs: "not signed in" is an answer here, not an error, so the UI can
 * decide to show the sign-in page.
 */
export function GET(request: Request): Response {
  const auth = findAuth();
  if (!auth) return authUnavailableResponse();
  const context = authRequestOf(request);
  const result = auth.authenticate(context);
  const headers: Record<string, string> = { ...NO_STORE };
  // A cookie that no longer names a session is removed, so the browser stops sending it.
  const staleCookie = (!result.ok || result.principal.kind === "anonymous") && auth.sessionIdFrom(request.headers) !== null;
  if (staleCookie) headers["set-cookie"] = auth.clearedCookie({ secure: context.tls });
  return Response.json(auth.sessionInfo(result.ok ? result.principal : null), { headers });
}
