// Sign-in for the local stacks: one user and one API token per role, made when the stack starts.
// The server reads the hashes (auth.json, AUTH_FILE in the env file); the plain passwords and
// tokens stay in credentials.json (mode 0600) for the demo to print and the tests to use, and the
// tokens are also in the env file (OUTBOX_LENS_<ROLE>_TOKEN) for scripts.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ROLES, type Role } from "@/lib/auth/roles";
import { saveAuthFile } from "@/server/auth/auth-file";
import { hashPassword } from "@/server/auth/passwords";
import { generateApiToken, hashApiToken } from "@/server/auth/tokens";
import type { StackConfig } from "./config";

const credentialsSchema = z.object({
  users: z.record(z.enum(ROLES), z.object({ username: z.string(), password: z.string() })),
  tokens: z.record(z.enum(ROLES), z.string()),
});
export type StackCredentials = z.infer<typeof credentialsSchema>;

/** Demo passwords: 12 random bytes, typed rarely (the demo prints them) and never reused. */
const PASSWORD_BYTES = 12;

export function credentialsFile(config: StackConfig): string {
  return path.join(config.dir, "credentials.json");
}

export function authFile(config: StackConfig): string {
  return path.join(config.dir, "auth.json");
}

/** Whether the stack's server requires sign-in: the demo and test stacks do; the bench stack measures the server without it. */
export function stackUsesAuth(config: StackConfig): boolean {
  return config.profile !== "bench";
}

export function readStackCredentials(config: StackConfig): StackCredentials | null {
  const file = credentialsFile(config);
  if (!fs.existsSync(file) || !fs.existsSync(authFile(config))) return null;
  return credentialsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

/** The stack's users and tokens: those of an earlier start, or new ones. */
export async function ensureStackCredentials(config: StackConfig): Promise<StackCredentials> {
  const existing = readStackCredentials(config);
  if (existing) return existing;
  fs.mkdirSync(config.dir, { recursive: true });
  const credentials = {
    users: Object.fromEntries(ROLES.map((role) => [role, { username: role, password: randomBytes(PASSWORD_BYTES).toString("base64url") }])),
    tokens: Object.fromEntries(ROLES.map((role) => [role, generateApiToken()])),
  } as StackCredentials;
  const users = await Promise.all(
    ROLES.map(async (role) => ({ username: credentials.users[role].username, role, passwordHash: await hashPassword(credentials.users[role].password) })),
  );
  const tokens = ROLES.map((role) => ({ name: `${config.profile}-${role}`, role, tokenHash: hashApiToken(credentials.tokens[role]) }));
  saveAuthFile(authFile(config), { users, tokens });
  fs.writeFileSync(credentialsFile(config), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/** What the env file says about sign-in. */
export function stackAuthEnv(config: StackConfig, credentials: StackCredentials): Record<string, string> {
  return {
    AUTH_FILE: authFile(config),
    ...Object.fromEntries(ROLES.map((role: Role) => [`OUTBOX_LENS_${role.toUpperCase()}_TOKEN`, credentials.tokens[role]])),
  };
}
