import type { z } from "zod";
import { ACTIONS, can } from "@/lib/auth/roles";
import type { Principal } from "@/lib/contracts/auth";
import { auditQuerySchema, type AuditQuery } from "@/lib/contracts/audit";
import { describeError } from "@/lib/errors/describe-error";
import { describeZodError } from "@/lib/errors/zod";
import { errorResponse, guard } from "@/server/auth/route";
import { isActionRequestError } from "@/server/outbox/actions";
import { InvalidCursorError } from "@/server/outbox/rows";
import { INTERACTIVE_QUERY_TIMEOUT_MS, POOL_CONNECT_TIMEOUT_MESSAGES, QUERY_READ_TIMEOUT_MESSAGE } from "@/server/outbox/db";
import { isRequestError } from "./request-error";

/**
 * Shared by the route handlers of app/api/**: the query string validated by a strict zod schema
 * (an unknown parameter is an error naming it), and errors turned into responses that say what
 * is wrong without leaking internals.
 */

/** The query parameters as an object (the last of repeated names wins), validated. */
export function parseQuery<T>(request: Request, schema: z.ZodType<T>): T | Response {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  const parsed = schema.safeParse(params);
  if (!parsed.success) return errorResponse(422, describeZodError(parsed.error));
  return parsed.data;
}

/** PostgreSQL error codes that mean the input was wrong (a value of the wrong type for a column). */
const DATA_EXCEPTION_CLASS = "22";
const QUERY_CANCELED = "57014";

/** A response for a failure of a request's work: 422 for bad input, 503 for an unavailable dependency. */
export function failureResponse(error: unknown, what: string): Response {
  if (isActionRequestError(error)) {
    return error.matched === undefined
      ? errorResponse(error.status, error.message)
      : Response.json({ error: error.message, matched: error.matched }, { status: error.status, headers: { "cache-control": "no-store" } });
  }
  if (isRequestError(error)) return errorResponse(error.status, error.message);
  if (error instanceof InvalidCursorError) return errorResponse(422, error.message);
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith(DATA_EXCEPTION_CLASS)) return errorResponse(422, `a filter value does not fit its column: ${describeError(error)}`);
  if (code === QUERY_CANCELED) return errorResponse(503, `${what} took too long and was cancelled by PostgreSQL (narrow the filter)`);
  const message = (error as Error | undefined)?.message ?? "";
  if (POOL_CONNECT_TIMEOUT_MESSAGES.some((prefix) => message.startsWith(prefix))) {
    return errorResponse(503, `${what}: PostgreSQL did not accept a connection in time (it is hung, overloaded or out of connection slots)`);
  }
  if (message === QUERY_READ_TIMEOUT_MESSAGE) {
    return errorResponse(503, `${what}: PostgreSQL did not answer within ${INTERACTIVE_QUERY_TIMEOUT_MS / 1000} s (it is hung or overloaded, or the filter is too broad)`);
  }
  return errorResponse(503, `${what} failed: ${describeError(error)}`);
}

/**
 * The audit routes' common start: a reader, the validated filter, and whose entries they may see
 * (`onlyActor` null for admins, who see everyone's; the requester otherwise).
 */
export function readAuditRequest(request: Request): { query: AuditQuery; onlyActor: Principal | null } | Response {
  const guarded = guard(request, ACTIONS.read);
  if (guarded instanceof Response) return guarded;
  const query = parseQuery(request, auditQuerySchema);
  if (query instanceof Response) return query;
  return { query, onlyActor: can(guarded.principal.role, ACTIONS.readAllAudit) ? null : guarded.principal };
}
