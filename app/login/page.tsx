import type { Metadata } from "next";
import { LoginForm } from "@/components/auth/login-form";
import { PageHeader } from "@/components/shell/page-header";
import { safeNextPath } from "@/lib/auth/redirect";
import { findAuth } from "@/server/auth/registry";

export const metadata: Metadata = { title: "Sign in" };

/** The sign-in page. `?next=` is the page to return to; anything but a path on this site is ignored. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next } = await searchParams;
  const auth = findAuth()?.describe() ?? null;

  return (
    <>
      <PageHeader title="Sign in">Operators and admins sign in to retry, replay and restart; viewers to see the pipeline.</PageHeader>
      {auth === null ? (
        <p className="text-sm text-ink-muted">
          Authentication is not running: start the app with <code className="font-mono text-ink">npm run dev</code> or{" "}
          <code className="font-mono text-ink">npm start</code>.
        </p>
      ) : auth.users === 0 ? (
        <div data-testid="sign-in-disabled" className="max-w-2xl space-y-1 text-sm text-ink-muted">
          <p>Sign-in is not enabled on this server: no users are configured.</p>
          {auth.readOnlyReason ? <p>{auth.readOnlyReason}.</p> : null}
        </div>
      ) : (
        <LoginForm next={safeNextPath(typeof next === "string" ? next : null)} />
      )}
    </>
  );
}
