"use client";

import { LOGIN_PAGE_PATH } from "@/lib/contracts/auth";
import { useSignOut } from "./sign-out-mutation";

/** Ends the session and reloads on the sign-in page, dropping every cached query and the socket. */
export function SignOutButton() {
  const signOutMutation = useSignOut();
  const busy = signOutMutation.isPending || signOutMutation.isSuccess;
  return (
    <button
      type="button"
      data-testid="sign-out"
      disabled={busy}
      title={signOutMutation.error ? `Sign-out failed: ${signOutMutation.error.message}` : "End this session"}
      onClick={() => signOutMutation.mutate(undefined, { onSuccess: () => window.location.assign(LOGIN_PAGE_PATH) })}
      className={`rounded border px-2 py-0.5 text-xs whitespace-nowrap transition-colors disabled:opacity-60 ${
        signOutMutation.error ? "border-down/50 text-down" : "border-line-strong text-ink-muted hover:bg-surface-raised hover:text-ink"
      }`}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
