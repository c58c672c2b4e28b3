import { isIP } from "node:net";
import { higherRole, roleSchema, type Role } from "@/lib/auth/roles";
import { headerValue, type HeaderSource } from "./headers";

/**
 * Identity from a trusted reverse proxy (oauth2-proxy, an ingress with SSO, …) that has already
 * authenticated the user and passes the name and groups in request headers.
 *
 * Anyone can send those headers, so they are believed only when the TCP peer is one of the
 * configured proxy addresses. Matching is on exact addresses, not ranges: the list names the few
 * machines that terminate sign-in, and an exact list cannot be widened by a mistyped prefix length.
 */

export const DEFAULT_PROXY_USER_HEADER = "x-forwarded-user";
export const DEFAULT_PROXY_GROUPS_HEADER = "x-forwarded-groups";
/** Every user the proxy vouches for is a viewer unless AUTH_PROXY_ROLES says otherwise. */
export const DEFAULT_PROXY_ROLES = "*=viewer";
/** In AUTH_PROXY_ROLES, the group every user the proxy vouches for is in. */
export const ANY_GROUP = "*";

// Header values beyond these are not names or group lists a proxy sends; they are refused rather
// than split and compared on every request.
const MAX_PROXY_USER_LENGTH = 256;
const MAX_PROXY_GROUPS_HEADER_LENGTH = 8 * 1024;
const MAX_PROXY_GROUPS = 256;
// Printable characters only: a name ends up in logs and the audit trail. No commas either: fetch
// joins repeated headers with ", ", so a comma means two copies (a proxy that appended its value to
// the client's instead of replacing it), and which one is the real user cannot be told.
const PROXY_USER_PATTERN = /^[^,\u0000-\u001f\u007f]+$/;

export interface ProxyRoleMapping {
  group: string;
  role: Role;
}

export interface ProxySettings {
  /** Normalised peer addresses (see {@link normalizeAddress}) whose headers are believed. */
  addresses: ReadonlySet<string>;
  /** Lower-case header names. */
  userHeader: string;
  groupsHeader: string;
  roles: readonly ProxyRoleMapping[];
  /** The `*` entry: every user has at least this role; null: a user in no mapped group is refused. */
  fallbackRole: Role | null;
}

export type ProxyIdentity =
  | { kind: "none" }
  | { kind: "user"; name: string; role: Role }
  /** The proxy vouches for the user, but none of their groups maps to a role. */
  | { kind: "no-role"; name: string };

/**
 * The canonical text of an IP address, or null when `address` is not one. IPv4-mapped IPv6
 * (`::ffff:10.0.0.5`, how a dual-stack socket reports an IPv4 peer) becomes plain IPv4, and IPv6
 * is compressed and lower-cased, so the configured list and the socket's address compare equal.
 */
export function normalizeAddress(address: string): string | null {
  const trimmed = address.trim();
  const version = isIP(trimmed);
  if (version === 4) return trimmed;
  if (version !== 6) return null;
  // The WHATWG URL parser is the standard's serialiser of IPv6 addresses (RFC 5952 form).
  const canonical = new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped?.[1] && mapped[2]) {
    const high = parseInt(mapped[1], 16);
    const low = parseInt(mapped[2], 16);
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return canonical;
}

/**
 * Parses `group=role,group=role,*=role`. Throws an Error whose message names the bad entry.
 */
export function parseProxyRoles(text: string): { roles: ProxyRoleMapping[]; fallbackRole: Role | null } {
  const roles: ProxyRoleMapping[] = [];
  let fallbackRole: Role | null = null;
  const seen = new Set<string>();
  for (const entry of text.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const separator = entry.lastIndexOf("=");
    const group = separator > 0 ? entry.slice(0, separator).trim() : "";
    const role = roleSchema.safeParse(separator > 0 ? entry.slice(separator + 1).trim() : "");
    if (group === "" || !role.success) {
      throw new Error(`entry "${entry}" is not group=role with role viewer, operator or admin`);
    }
    if (seen.has(group)) throw new Error(`group "${group}" is listed twice`);
    seen.add(group);
    if (group === ANY_GROUP) fallbackRole = role.data;
    else roles.push({ group, role: role.data });
  }
  return { roles, fallbackRole };
}

/** Splits a groups header; proxies send comma-separated lists. */
function parseGroups(value: string | null): string[] {
  if (!value || value.length > MAX_PROXY_GROUPS_HEADER_LENGTH) return [];
  return value
    .split(",")
    .slice(0, MAX_PROXY_GROUPS)
    .map((group) => group.trim())
    .filter((group) => group !== "");
}

/**
 * The identity the proxy asserts, if the request came straight from a trusted proxy and carries a
 * usable user header; `{ kind: "none" }` otherwise, whatever headers the request carries.
 */
export function proxyIdentity(headers: HeaderSource, remoteAddress: string | null, settings: ProxySettings): ProxyIdentity {
  if (remoteAddress === null) return { kind: "none" };
  const peer = normalizeAddress(remoteAddress);
  if (peer === null || !settings.addresses.has(peer)) return { kind: "none" };

  const name = headerValue(headers, settings.userHeader)?.trim() ?? "";
  if (name === "" || name.length > MAX_PROXY_USER_LENGTH || !PROXY_USER_PATTERN.test(name)) return { kind: "none" };

  // The highest role of any group the user is in; `*` is a group everyone is in.
  const groups = new Set(parseGroups(headerValue(headers, settings.groupsHeader)));
  let role: Role | null = settings.fallbackRole;
  for (const mapping of settings.roles) {
    if (groups.has(mapping.group)) role = role ? higherRole(role, mapping.role) : mapping.role;
  }
  return role ? { kind: "user", name, role } : { kind: "no-role", name };
}
