import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Auth, AuthRequest } from "@/server/auth/auth";
import { headerValue } from "@/server/auth/headers";
import { normalizeAddress } from "@/server/auth/proxy";

/**
 * A raw Node request as the auth module reads it: its headers, the peer address from the TCP
 * socket (never from a header), and whether the browser's connection is TLS: to this server, or
 * to a trusted proxy in front of it that says so. Page requests and socket handshakes both go
 * through here, so a cookie is judged the same way on either.
 */
export function connectionAuthRequest(req: IncomingMessage, auth: Auth): AuthRequest {
  const remoteAddress = req.socket.remoteAddress ?? null;
  return { headers: req.headers, remoteAddress, tls: isTls(req, auth, remoteAddress) };
}

function isTls(req: IncomingMessage, auth: Auth, remoteAddress: string | null): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const proxy = auth.config.proxy;
  const peer = remoteAddress ? normalizeAddress(remoteAddress) : null;
  return proxy !== null && peer !== null && proxy.addresses.has(peer) && headerValue(req.headers, "x-forwarded-proto") === "https";
}
