import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { AUTH_API } from "@/lib/contracts/auth";

/**
 * The test stack's users and API tokens, one per role, made by stack:up (stack/auth.ts) next to
 * the env file the server under test reads.
 */
interface Credentials {
  users: Record<Role, { username: string; password: string }>;
  tokens: Record<Role, string>;
}

export function stackCredentials(): Credentials {
  const envFile = path.resolve(process.env.OUTBOX_LENS_ENV_FILE ?? ".stack-test/env");
  const file = path.join(path.dirname(envFile), "credentials.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as Credentials;
}

export function bearer(role: Role): Record<string, string> {
  return { authorization: `Bearer ${stackCredentials().tokens[role]}` };
}

/** Signs the request context in (its cookie jar keeps the session), as the login form does: same-origin JSON. */
export async function signIn(request: APIRequestContext, baseURL: string, role: Role): Promise<void> {
  const { username, password } = stackCredentials().users[role];
  const response = await request.post(new URL(AUTH_API.login, baseURL).toString(), { data: { username, password }, headers: { origin: new URL(baseURL).origin } });
  if (!response.ok()) throw new Error(`signing in as ${role} answered ${response.status()}: ${await response.text()}`);
}
