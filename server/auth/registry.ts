import type { Auth } from "./auth";

/**
 * The process's {@link Auth}, shared between the custom server (which builds it from the
 * configuration and checks socket handshakes) and Next's route handlers.
 *
 * Like server/runtime.ts, and for the same reason: Next bundles route handlers separately from
 * the custom server's modules, so a module-level singleton would exist twice, and the second copy
 * would have no sessions. The instance lives on globalThis under a registered symbol, and this
 * module imports types only.
 */

const AUTH_KEY = Symbol.for("outbox-lens.auth");

type AuthHolder = typeof globalThis & { [AUTH_KEY]?: Auth };

/** Raised by {@link getAuth} when code runs outside the custom server (e.g. `next build`). */
export class AuthNotStartedError extends Error {
  constructor() {
    super("Outbox Lens authentication is not running (start the app with `npm run dev` or `npm start`, not `next`)");
    this.name = "AuthNotStartedError";
  }
}

/** The Auth instance, or null outside the custom server. */
export function findAuth(): Auth | null {
  return (globalThis as AuthHolder)[AUTH_KEY] ?? null;
}

/** The Auth instance; throws {@link AuthNotStartedError} outside the custom server. */
export function getAuth(): Auth {
  const auth = findAuth();
  if (!auth) throw new AuthNotStartedError();
  return auth;
}

/** Installed once by server/index.ts before it serves requests; cleared on shutdown. */
export function setAuth(auth: Auth | null): void {
  const holder = globalThis as AuthHolder;
  if (auth) holder[AUTH_KEY] = auth;
  else delete holder[AUTH_KEY];
}
