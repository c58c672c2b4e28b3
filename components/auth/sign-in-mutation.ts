import { useMutation } from "@tanstack/react-query";
import { AUTH_API, loginResponseSchema, type LoginRequest, type LoginResponse } from "@/lib/contracts/auth";
import { postAuthJson } from "./auth-request";

/** POST /api/auth/login. The session cookie is set by the response; this returns who signed in. */
export async function signIn(credentials: LoginRequest): Promise<LoginResponse> {
  const body = await postAuthJson(AUTH_API.login, credentials);
  const parsed = loginResponseSchema.safeParse(body);
  if (!parsed.success) throw new Error(`POST ${AUTH_API.login} answered an unexpected body`);
  return parsed.data;
}

/**
 * Nothing is invalidated on success: the caller leaves the page with a full navigation, because a
 * new identity changes every query (masked payloads, permissions) and the live socket, which
 * authenticated with the old cookie when it connected.
 */
export function useSignIn() {
  return useMutation({ mutationFn: signIn });
}
