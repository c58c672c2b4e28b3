import { useMutation } from "@tanstack/react-query";
import { AUTH_API } from "@/lib/contracts/auth";
import { postAuthJson } from "./auth-request";

/** POST /api/auth/logout: ends the session on the server and removes the cookie. */
export async function signOut(): Promise<void> {
  await postAuthJson(AUTH_API.logout, {});
}

/** Like sign-in, the caller reloads on success rather than invalidating: see useSignIn. */
export function useSignOut() {
  return useMutation({ mutationFn: signOut });
}
