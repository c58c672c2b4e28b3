/**
 * Where to go after signing in. The login page takes `?next=` from the address bar, which anyone
 * can craft, so only a path on this site is followed: an absolute URL, a protocol-relative
 * `//host` or a backslash form that some browsers read as one would make the login page an open
 * redirect to a look-alike site.
 */

export const DEFAULT_AFTER_SIGN_IN = "/";

// Paths longer than this are not a page of ours; refusing them keeps the check cheap.
const MAX_NEXT_PATH_LENGTH = 2048;

// The base only serves to resolve the path; its host can never be the outcome.
const RESOLVE_BASE = "http://outbox-lens.invalid";

/** `next` when it is a path on this site (with its query and fragment), else "/". */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > MAX_NEXT_PATH_LENGTH) return DEFAULT_AFTER_SIGN_IN;
  // One leading slash, then not a second slash or a backslash; no backslashes or control
  // characters anywhere (browsers strip tabs and newlines before resolving).
  if (!next.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next)) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(next, RESOLVE_BASE);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== RESOLVE_BASE) return DEFAULT_AFTER_SIGN_IN;
  // Back to the login page would only ask again.
  if (url.pathname === "/login") return DEFAULT_AFTER_SIGN_IN;
  return `${url.pathname}${url.search}${url.hash}`;
}
