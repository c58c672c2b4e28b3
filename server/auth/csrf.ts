import { headerValue, type HeaderSource } from "./headers";

/**
 * Cross-site request forgery checks for requests that change something.
 *
 * Route handlers have no CSRF protection of their own, and SameSite=Strict cookies are only one
 * layer (a sibling subdomain is "same-site"). So every mutating request must also
 *  1. come from our own origin: `Origin` equal to the request's own origin or one listed in
 *     ALLOWED_ORIGINS, or, from browsers that send no Origin, `Sec-Fetch-Site: same-origin`;
 *  2. be `Content-Type: application/json`, which an HTML form cannot send and a cross-site fetch
 *     cannot send without a CORS preflight we never answer. A `text/plain` form post is the
 *     classic way around origin-less checks, hence both.
 * Requests with a bearer token skip the origin check (browsers never attach one on their own, so
 * there is nothing to forge) but still need JSON.
 */

export const MUTATING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface MutationRequest {
  method: string;
  headers: HeaderSource;
  /** Whether the browser reached us over TLS; decides the scheme of our own origin. */
  tls: boolean;
  /** Extra origins allowed to send mutations (ALLOWED_ORIGINS), as `URL.origin` strings. */
  allowedOrigins: readonly string[];
  /** The request authenticates with `Authorization: Bearer`. */
  bearer: boolean;
}

export interface RequestRefusal {
  status: number;
  message: string;
}

/** The origin the request was addressed to, from Host and the connection's scheme; null if Host is unusable. */
export function ownOrigin(headers: HeaderSource, tls: boolean): string | null {
  const host = headerValue(headers, "host");
  // A Host with a path, credentials or spaces is not a host, whatever the URL parser makes of it.
  if (!host || /[/\\@?#\s]/.test(host)) return null;
  try {
    return new URL(`${tls ? "https" : "http"}://${host}`).origin;
  } catch {
    return null;
  }
}

function checkOrigin(request: MutationRequest): RequestRefusal | null {
  const origin = headerValue(request.headers, "origin");
  if (origin === null) {
    if (headerValue(request.headers, "sec-fetch-site") === "same-origin") return null;
    return {
      status: 403,
      message:
        "request refused: a request that changes something must come from the dashboard's own pages (Origin or Sec-Fetch-Site: same-origin); scripts should use an API token",
    };
  }
  const own = ownOrigin(request.headers, request.tls);
  let sent: string;
  try {
    sent = new URL(origin).origin;
  } catch {
    sent = origin;
  }
  if (sent !== "null" && (sent === own || request.allowedOrigins.includes(sent))) return null;
  return {
    status: 403,
    message: `cross-site request refused: Origin ${origin} is neither this server's origin${own ? ` (${own})` : ""} nor listed in ALLOWED_ORIGINS`,
  };
}

/** Whether a Content-Type header is JSON: `application/json`, optionally with charset=utf-8. */
export function isJsonContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const [mediaType = "", ...parameters] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (mediaType !== "application/json") return false;
  return parameters.every((parameter) => !parameter.startsWith("charset=") || /^charset="?utf-8"?$/.test(parameter));
}

/** null when the request may proceed; otherwise the status (403 origin, 415 content type) and why. */
export function checkMutationRequest(request: MutationRequest): RequestRefusal | null {
  if (!MUTATING_METHODS.has(request.method.toUpperCase())) return null;
  if (!request.bearer) {
    const refusal = checkOrigin(request);
    if (refusal) return refusal;
  }
  const contentType = headerValue(request.headers, "content-type");
  if (!isJsonContentType(contentType)) {
    return {
      status: 415,
      message: `Content-Type must be application/json${contentType ? ` (got ${JSON.stringify(contentType)})` : " (none was sent)"}`,
    };
  }
  return null;
}
