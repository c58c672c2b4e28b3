"use client";

import { useState, type FormEvent } from "react";
import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH } from "@/lib/contracts/auth";
import { safeNextPath } from "@/lib/auth/redirect";
import { useSignIn } from "./sign-in-mutation";

const INPUT_CLASS =
  "w-full rounded border border-line-strong bg-canvas px-2.5 py-1.5 text-sm text-ink placeholder:text-ink-faint focus:border-accent focus:outline-none disabled:opacity-60";

/**
 * Username and password. Shows the server's refusal as it is worded (wrong credentials, too many
 * attempts and when to retry, busy). On success it leaves with a full navigation to `next`
 * (a same-site path only): the new session must reach every query and the live socket.
 */
export function LoginForm({ next }: { next: string | null }) {
  const signInMutation = useSignIn();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  // Stays busy after success too, while the browser navigates away.
  const busy = signInMutation.isPending || signInMutation.isSuccess;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    signInMutation.mutate(
      { username: username.trim(), password },
      {
        onSuccess: () => window.location.assign(safeNextPath(next)),
        onError: () => setPassword(""),
      },
    );
  };

  return (
    <form data-testid="login-form" onSubmit={submit} className="w-full max-w-sm space-y-3 rounded border border-line bg-surface px-4 py-4" noValidate>
      <label className="block space-y-1">
        <span className="text-xs text-ink-muted">Username</span>
        <input
          name="username"
          data-testid="login-username"
          autoComplete="username"
          autoFocus
          required
          maxLength={MAX_USERNAME_LENGTH}
          value={username}
          disabled={busy}
          onChange={(event) => setUsername(event.target.value)}
          className={INPUT_CLASS}
        />
      </label>
      <label className="block space-y-1">
        <span className="text-xs text-ink-muted">Password</span>
        <input
          name="password"
          type="password"
          data-testid="login-password"
          autoComplete="current-password"
          required
          maxLength={MAX_PASSWORD_LENGTH}
          value={password}
          disabled={busy}
          onChange={(event) => setPassword(event.target.value)}
          className={INPUT_CLASS}
        />
      </label>
      {signInMutation.error ? (
        <p role="alert" data-testid="login-error" className="rounded border border-down/40 bg-down/10 px-2.5 py-1.5 text-xs text-down">
          {signInMutation.error.message}
        </p>
      ) : null}
      <button
        type="submit"
        data-testid="login-submit"
        disabled={busy || username.trim() === "" || password === ""}
        className="w-full rounded bg-accent px-3 py-1.5 text-sm font-medium text-canvas transition-opacity hover:opacity-90 disabled:opacity-50"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
