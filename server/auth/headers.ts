import type { IncomingHttpHeaders } from "node:http";

/**
 * Request headers as the two kinds of callers hold them: a fetch `Headers` (route handlers) or
 * Node's `IncomingHttpHeaders` (the socket.io handshake, the custom server).
 */
export type HeaderSource = Headers | IncomingHttpHeaders;

/**
 * One header's value, or null when absent. A header repeated with different values (Node gives an
 * array for a few of them) is ambiguous and read as absent: identity must never depend on which
 * copy a proxy or framework happens to keep.
 */
export function headerValue(headers: HeaderSource, name: string): string | null {
  const key = name.toLowerCase();
  if (headers instanceof Headers) return headers.get(key);
  const value = headers[key];
  if (Array.isArray(value)) return value.length === 1 ? (value[0] ?? null) : null;
  return value ?? null;
}

/** The Cookie header, whose copies Node joins with "; " and fetch keeps as one value. */
export function cookieHeader(headers: HeaderSource): string | null {
  if (headers instanceof Headers) return headers.get("cookie");
  const value = headers.cookie;
  return Array.isArray(value) ? value.join("; ") : (value ?? null);
}

// A Cookie header beyond this is not from a browser of ours (browsers cap one cookie at 4 KB);
// parsing stops there instead of splitting megabytes on every request.
const MAX_COOKIE_HEADER_LENGTH = 16 * 1024;

/** The first cookie named `name`, or null. Values are returned as sent (ours are base64url). */
export function readCookie(headers: HeaderSource, name: string): string | null {
  const header = cookieHeader(headers);
  if (!header) return null;
  for (const pair of header.slice(0, MAX_COOKIE_HEADER_LENGTH).split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return null;
}

/**
 * Set by the custom server on every request, after deleting any copy the client sent: the TCP
 * peer's address, which route handlers cannot see otherwise. Only this header is believed for the
 * trusted-proxy check and the per-address sign-in limit.
 */
export const REMOTE_ADDRESS_HEADER = "x-outbox-lens-remote-address";
/** Set by the custom server to "1" when the browser's connection is TLS (after deleting any client copy). */
export const TLS_HEADER = "x-outbox-lens-tls";
/** The prefix of our internal headers; configuration may not name one of them as a proxy header. */
export const INTERNAL_HEADER_PREFIX = "x-outbox-lens-";
