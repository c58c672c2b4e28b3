import type { z } from "zod";
import type { AuthError, Principal } from "@/lib/contracts/auth";
import type { Action } from "@/lib/auth/roles";
import type { Auth, AuthRequest } from "./auth";
import { readJsonBody } from "./body";
import { REMOTE_ADDRESS_HEADER, TLS_HEADER } from "./headers";
import { findAuth } from "./registry";

/**
 * Authentication for App Router route handlers, in one call at the top of each handler:
 *
 *     const guarded = guard(request, ACTIONS.read);
 *     if (guarded instanceof Response) return guarded;
 *
 *     const guarded = await guardMutation(request, ACTIONS.retryOutbox, retryRequestSchema);
 *     if (guarded instanceof Response) return guarded;
 *     // guarded.principal, guarded.body
 *
 * Refusals are JSON `{ error }` with the status that says what to do: 401 sign in, 403 not
 * allowed (or cross-site, or read-only), 413/415/422 fix the request, 503 the server is not up.
 */

export { REMOTE_ADDRESS_HEADER, TLS_HEADER };

export const NO_STORE = { "cache-control": "no-store" } as const;

export const AUTH_UNAVAILABLE_MESSAGE = "Outbox Lens authentication is not running (the app must be started with `npm run dev` or `npm start`)";

export interface Guarded {
  auth: Auth;
  principal: Principal;
}

/** What the custom server tells us about the connection, through its internal headers. */
export function authRequestOf(request: Request): AuthRequest {
  return {
    headers: request.headers,
    remoteAddress: request.headers.get(REMOTE_ADDRESS_HEADER),
    tls: request.headers.get(TLS_HEADER) === "1",
  };
}

/** A JSON `{ error }` response that no cache keeps. */
export function errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
  const body: AuthError = { error: message };
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** 503: the route runs outside the custom server (e.g. during `next build`). */
export function authUnavailableResponse(): Response {
  return errorResponse(503, AUTH_UNAVAILABLE_MESSAGE);
}

function authenticated(auth: Auth, request: Request): Principal | Response {
  const context = authRequestOf(request);
  const result = auth.authenticate(context);
  if (result.ok) return result.principal;
  const headers: Record<string, string> = {};
  if (result.status === 401) {
    headers["www-authenticate"] = 'Bearer realm="Outbox Lens"';
    // A cookie that no longer names a session is removed, so the browser stops sending it.
    if (auth.sessionIdFrom(request.headers)) headers["set-cookie"] = auth.clearedCookie({ secure: context.tls });
  }
  return errorResponse(result.status, result.message, headers);
}

/** The principal, if it may perform `action`; else the response to return (401, 403 or 503). */
export function guard(request: Request, action: Action): Guarded | Response {
  const auth = findAuth();
  if (!auth) return authUnavailableResponse();
  const principal = authenticated(auth, request);
  if (principal instanceof Response) return principal;
  const refusal = auth.authorize(principal, action);
  if (refusal) return errorResponse(refusal.status, refusal.message);
  return { auth, principal };
}

/**
 * For requests that change something: the CSRF checks (403 cross-site, 415 not JSON), then
 * authentication (401) and authorization (403), and only then the body, read with a size cap and
 * validated strictly against `schema` (413, 400, 422). Nothing is parsed for a client that may not act.
 */
export async function guardMutation<T>(request: Request, action: Action, schema: z.ZodType<T>): Promise<(Guarded & { body: T }) | Response> {
  const auth = findAuth();
  if (!auth) return authUnavailableResponse();
  const refusal = auth.checkMutation({ ...authRequestOf(request), method: request.method });
  if (refusal) return errorResponse(refusal.status, refusal.message);
  const guarded = guard(request, action);
  if (guarded instanceof Response) return guarded;
  const body = await readJsonBody(request, schema);
  if (!body.ok) return errorResponse(body.status, body.message);
  return { ...guarded, body: body.value };
}

/**
 * For the mutations that come before anyone is signed in (sign-in, sign-out): the same CSRF and
 * body checks as {@link guardMutation}, without authentication.
 */
export async function readPublicMutation<T>(request: Request, schema: z.ZodType<T>): Promise<{ auth: Auth; context: AuthRequest; body: T } | Response> {
  const auth = findAuth();
  if (!auth) return authUnavailableResponse();
  const context = authRequestOf(request);
  const refusal = auth.checkMutation({ ...context, method: request.method });
  if (refusal) return errorResponse(refusal.status, refusal.message);
  const body = await readJsonBody(request, schema);
  if (!body.ok) return errorResponse(body.status, body.message);
  return { auth, context, body: body.value };
}
