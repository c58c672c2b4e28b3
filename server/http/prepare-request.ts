import type { IncomingMessage, ServerResponse } from "node:http";
import { LOGIN_PAGE_PATH } from "@/lib/contracts/auth";
import type { Auth } from "@/server/auth/auth";
import { INTERNAL_HEADER_PREFIX, REMOTE_ADDRESS_HEADER, TLS_HEADER } from "@/server/auth/headers";
import { connectionAuthRequest } from "./connection";

/**
 * Paths served without a session: the sign-in page, the build's static assets (public by nature:
 * the same for every deployment), the readiness probe and the icon. API routes (the auth API
 * among them), /metrics and socket.io are not pages: they answer for themselves.
 */
const PUBLIC_PAGE_PREFIXES = ["/_next/", "/icon.svg", "/favicon.ico"];
const PUBLIC_PATHS = new Set([LOGIN_PAGE_PATH, "/api/ready"]);

/**
 * Next.js's own internal request headers (`x-middleware-subrequest`, `x-middleware-prefetch`, …):
 * meaningful only between Next's middleware and its server, never from a client. A forged
 * `x-middleware-subrequest` made Next skip its middleware (CVE-2025-29927) and still changes how it
 * answers; they are removed from every request before Next sees it.
 */
const NEXT_INTERNAL_HEADER_PREFIX = "x-middleware-";

/**
 * The Content-Security-Policy of every response. Scripts only from this origin (Next's inline
 * bootstrap scripts need 'unsafe-inline'; nothing needs eval in production), styles inline for
 * the charts, connections only back to this origin (socket.io included), no framing, no plugins,
 * forms only to us. Development adds 'unsafe-eval', which React's dev tooling needs.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(dev: boolean): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(dev),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
  };
}

function isPublic(path: string): boolean {
  return PUBLIC_PATHS.has(path) || PUBLIC_PAGE_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** Whether a path is a page (answered by a redirect to sign in) rather than an API (answered 401 by its handler). */
function isPage(path: string): boolean {
  return !path.startsWith("/api/") && path !== "/metrics" && !path.startsWith("/socket.io");
}

/**
 * Runs before Next on every request. Returns false when it has answered the request itself.
 * - Replaces the internal headers (the peer address and whether the connection is TLS) that route
 *   handlers read: a client's own copies are deleted first, so they cannot be forged.
 * - Sets the security headers.
 * - Sends a browser that is not signed in to the sign-in page. This is convenience, not the
 *   guard: every route handler and socket event authorises on its own (a check in front of Next
 *   alone is what CVE-2025-29927 bypassed).
 */
export function prepareRequest(req: IncomingMessage, res: ServerResponse, options: { auth: Auth; dev: boolean }): boolean {
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith(INTERNAL_HEADER_PREFIX) || name.startsWith(NEXT_INTERNAL_HEADER_PREFIX)) delete req.headers[name];
  }
  const connection = connectionAuthRequest(req, options.auth);
  req.headers[REMOTE_ADDRESS_HEADER] = connection.remoteAddress ?? "";
  if (connection.tls) req.headers[TLS_HEADER] = "1";
  for (const [name, value] of Object.entries(securityHeaders(options.dev))) res.setHeader(name, value);

  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if ((req.method !== "GET" && req.method !== "HEAD") || isPublic(path) || !isPage(path)) return true;
  const result = options.auth.authenticate(connection);
  if (result.ok) return true;
  if (result.status === 401) {
    res.statusCode = 302;
    res.setHeader("location", `${LOGIN_PAGE_PATH}?next=${encodeURIComponent(req.url ?? "/")}`);
    res.setHeader("cache-control", "no-store");
    res.end();
    return false;
  }
  res.statusCode = result.status;
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.end(result.message);
  return false;
}
