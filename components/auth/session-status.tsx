"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { LOGIN_PAGE_PATH } from "@/lib/contracts/auth";
import { useSession } from "./session";
import { SignOutButton } from "./sign-out-button";

/**
 * For the header: who is signed in and with which role, a sign-out button for sessions, a sign-in
 * link when nobody is, and a READ-ONLY badge (its tooltip says why) when writes are refused.
 * Renders nothing until the session is known, and nothing on error: the health pills beside it
 * already say when the server cannot be reached.
 */
export function SessionStatus() {
  const pathname = usePathname();
  const { data: session } = useSession();
  if (!session) return null;
  const { principal } = session;

  return (
    <div data-testid="session-status" className="flex items-center gap-2 text-xs whitespace-nowrap">
      {session.readOnly ? (
        <span
          data-testid="read-only-badge"
          title={session.readOnlyReason ?? "Outbox Lens is read-only"}
          className="rounded-sm border border-pending/50 px-1.5 text-[11px] font-semibold tracking-wide text-pending"
        >
          READ-ONLY
        </span>
      ) : null}
      {principal && principal.kind !== "anonymous" ? (
        <span data-testid="session-principal" className="text-ink-muted" title={`Signed in as ${principal.name} (${principal.kind})`}>
          <span className="inline-block max-w-[24ch] truncate align-bottom text-ink">{principal.name}</span> · {principal.role}
        </span>
      ) : null}
      {principal?.kind === "user" ? <SignOutButton /> : null}
      {(principal === null || principal.kind === "anonymous") && session.signInEnabled && pathname !== LOGIN_PAGE_PATH ? (
        <Link href={`${LOGIN_PAGE_PATH}?next=${encodeURIComponent(pathname)}`} className="text-accent hover:underline">
          Sign in
        </Link>
      ) : null}
    </div>
  );
}
