import { useQuery } from "@tanstack/react-query";
import { AUTH_API, authErrorSchema, sessionResponseSchema, type SessionResponse } from "@/lib/contracts/auth";
import { authKeys } from "./auth-keys";

// Who is signed in changes only on sign-in and sign-out, which reload the page; a minute keeps
// navigation free of requests while a session that ended on the server (expiry, restart) still
// shows within a minute, or at once when the tab regains focus.
export const SESSION_STALE_MS = 60_000;

/** GET /api/auth/session, validated. */
export async function fetchSession(signal?: AbortSignal): Promise<SessionResponse> {
  let response: Response;
  try {
    response = await fetch(AUTH_API.session, { cache: "no-store", signal, headers: { accept: "application/json" } });
  } catch (error) {
    throw new Error(`server unreachable (${error instanceof Error ? error.message : String(error)})`);
  }
  const body: unknown = await response.json().catch(() => null);
  const session = sessionResponseSchema.safeParse(body);
  if (response.ok && session.success) return session.data;
  const refusal = authErrorSchema.safeParse(body);
  throw new Error(refusal.success ? refusal.data.error : `GET ${AUTH_API.session} answered ${response.status}`);
}

/** The current principal, mode and permissions. Buttons use `permissions`; the server decides anyway. */
export function useSession() {
  return useQuery({
    queryKey: authKeys.session(),
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: SESSION_STALE_MS,
    // The usual failure (503: the server runs without its runtime) does not fix itself in a second.
    retry: false,
  });
}
