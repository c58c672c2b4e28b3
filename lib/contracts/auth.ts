import { z } from "zod";
import { roleSchema } from "@/lib/auth/roles";

/**
 * The authentication contract shared by the auth route handlers and the browser: what the login
 * form sends, and what GET /api/auth/session answers.
 */

export const AUTH_API = {
  login: "/api/auth/login",
  logout: "/api/auth/logout",
  session: "/api/auth/session",
} as const;

/** Where the browser signs in; `?next=` carries the page to return to. */
export const LOGIN_PAGE_PATH = "/login";

// Generous for any real name or password, small enough that a request cannot make the server
// hash megabytes (scrypt first runs PBKDF2 over the whole password).
export const MAX_USERNAME_LENGTH = 64;
export const MAX_PASSWORD_LENGTH = 1024;

/** POST /api/auth/login. Strict: a misspelt field is an error, not silently ignored. */
const requiredString = z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });

export const loginRequestSchema = z.strictObject({
  username: requiredString.trim().min(1, "is required").max(MAX_USERNAME_LENGTH, `must be at most ${MAX_USERNAME_LENGTH} characters`),
  password: requiredString.min(1, "is required").max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** POST /api/auth/logout takes an empty JSON object: mutations are JSON-only, see server/auth/csrf.ts. */
export const logoutRequestSchema = z.strictObject({});

/** How the requester was identified. */
export const principalKindSchema = z.enum(["user", "token", "proxy", "anonymous"]);
export type PrincipalKind = z.infer<typeof principalKindSchema>;

export const principalSchema = z.object({
  kind: principalKindSchema,
  /** Username, token name or the proxy's user; "anonymous" for anonymous viewers. */
  name: z.string(),
  role: roleSchema,
});
export type Principal = z.infer<typeof principalSchema>;

/** Effective mode: "required" asks everyone to authenticate, "none" lets anonymous viewers in. */
export const authModeSchema = z.enum(["required", "none"]);
export type AuthMode = z.infer<typeof authModeSchema>;

export const permissionsSchema = z.object({
  retry: z.boolean(),
  replay: z.boolean(),
  restartConnector: z.boolean(),
  auditAll: z.boolean(),
});

/** POST /api/auth/login → 200. The session itself travels in an HttpOnly cookie. */
export const loginResponseSchema = z.object({ principal: principalSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** GET /api/auth/session → 200, also when nobody is signed in (then `principal` is null). */
export const sessionResponseSchema = z.object({
  principal: principalSchema.nullable(),
  authMode: authModeSchema,
  readOnly: z.boolean(),
  /** Why write actions are refused; null when they are not refused for everyone. */
  readOnlyReason: z.string().nullable(),
  /** Whether users are configured, so the login page is worth offering. */
  signInEnabled: z.boolean(),
  permissions: permissionsSchema,
  /** Payload fields the server masks for this principal (empty when it masks nothing). */
  maskFields: z.array(z.string()),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** Body of every refused auth-related request (401, 403, 413, 415, 422, 429, 503). */
export const authErrorSchema = z.object({ error: z.string() });
export type AuthError = z.infer<typeof authErrorSchema>;
