import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Role } from "@/lib/auth/roles";
import type { ConfigIssue } from "@/server/env";
import { authNameSchema, MAX_AUTH_FILE_BYTES, parseAuthFile, type AuthFile } from "./config";

/**
 * Editing the AUTH_FILE (scripts/auth.ts): load, change one entry, write back. The file holds only
 * hashes, but it decides who may act on the pipeline, so it is written readable by its owner alone
 * (mode 0600) and replaced atomically: a crash never leaves half a file that stops the server.
 */

export class AuthFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthFileError";
  }
}

/** The file's users and tokens; an absent file is an empty one (the first add creates it). */
export function loadAuthFile(path: string): AuthFile {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return { users: [], tokens: [] };
  const text = readFileSync(absolute, "utf8");
  if (text.length > MAX_AUTH_FILE_BYTES) throw new AuthFileError(`${absolute} is larger than ${MAX_AUTH_FILE_BYTES} bytes; is it the right file?`);
  const issues: ConfigIssue[] = [];
  const file = parseAuthFile(text, absolute, issues);
  if (!file) throw new AuthFileError(`${absolute} is not a valid auth file:\n${issues.map((issue) => `  - ${issue.message}`).join("\n")}`);
  return file;
}

/** Writes the file with mode 0600 through a temporary file and a rename. */
export function saveAuthFile(path: string, file: AuthFile): void {
  const absolute = resolve(path);
  // The same validation the server applies at start: a file this writes always loads.
  const issues: ConfigIssue[] = [];
  const checked = parseAuthFile(JSON.stringify(file), absolute, issues);
  if (!checked) throw new AuthFileError(issues.map((issue) => issue.message).join("\n"));
  const temporary = join(dirname(absolute), `.${basename(absolute)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    renameSync(temporary, absolute);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Throws when the user cannot be added: a name that is not valid, or one taken without `replace`. */
export function checkNewUser(file: AuthFile, username: string, options: { replace: boolean }): void {
  const name = authNameSchema.safeParse(username);
  if (!name.success) throw new AuthFileError(`username "${username}" ${name.error.issues[0]?.message ?? "is not valid"}`);
  const exists = file.users.some((entry) => sameName(entry.username, username));
  if (exists && !options.replace) throw new AuthFileError(`user "${username}" already exists; pass --replace to change their password and role`);
}

/** The file with the user added (or, with `replace`, their role and password changed). */
export function withUser(file: AuthFile, user: { username: string; role: Role; passwordHash: string }, options: { replace: boolean }): AuthFile {
  checkNewUser(file, user.username, options);
  return { ...file, users: [...file.users.filter((entry) => !sameName(entry.username, user.username)), user] };
}

/** The file with the token added (or, with `replace`, the old token of that name revoked). */
export function withToken(file: AuthFile, token: { name: string; role: Role; tokenHash: string }, options: { replace: boolean }): AuthFile {
  const name = authNameSchema.safeParse(token.name);
  if (!name.success) throw new AuthFileError(`token name "${token.name}" ${name.error.issues[0]?.message ?? "is not valid"}`);
  const exists = file.tokens.some((entry) => sameName(entry.name, token.name));
  if (exists && !options.replace) throw new AuthFileError(`token "${token.name}" already exists; pass --replace to revoke it and issue a new one`);
  return { ...file, tokens: [...file.tokens.filter((entry) => !sameName(entry.name, token.name)), token] };
}

export function withoutUser(file: AuthFile, username: string): AuthFile {
  if (!file.users.some((entry) => sameName(entry.username, username))) throw new AuthFileError(`there is no user "${username}"`);
  return { ...file, users: file.users.filter((entry) => !sameName(entry.username, username)) };
}

export function withoutToken(file: AuthFile, name: string): AuthFile {
  if (!file.tokens.some((entry) => sameName(entry.name, name))) throw new AuthFileError(`there is no token "${name}"`);
  return { ...file, tokens: file.tokens.filter((entry) => !sameName(entry.name, name)) };
}
