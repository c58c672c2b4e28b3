/**
 * Decides whether a socket handshake may proceed, from its Origin and Host headers.
 *
 * Browsers send Origin on every WebSocket handshake and every cross-origin request, so a page on
 * another site cannot open a socket (and read live pipeline data) unless its origin is the
 * server's own or listed in ALLOWED_ORIGINS. A handshake without Origin is not from a cross-site
 * browser page (same-origin polling GETs, CLI tools) and is allowed: authentication, not Origin,
 * is what will guard those.
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined || origin === "") return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  if (host !== undefined && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  return allowedOrigins.includes(parsed.origin);
}
