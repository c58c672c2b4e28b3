import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { MAX_USERNAME_LENGTH, type AuthMode } from "@/lib/contracts/auth";
import { roleSchema, type Role } from "@/lib/auth/roles";
import { ConfigError, type ConfigIssue } from "@/server/env";
import { INTERNAL_HEADER_PREFIX } from "./headers";
import { parsePasswordHash, PasswordHashFormatError, type PasswordHash } from "./passwords";
import {
  DEFAULT_PROXY_GROUPS_HEADER,
  DEFAULT_PROXY_ROLES,
  DEFAULT_PROXY_USER_HEADER,
  normalizeAddress,
  parseProxyRoles,
  type ProxySettings,
} from "./proxy";
import { parseApiTokenHash, type ApiTokenEntry } from "./tokens";

/**
 * The security settings: who may sign in, with which role, how long sessions last, whether a
 * trusted proxy vouches for users, what viewers see masked. Read from the same variables as the
 * rest of the configuration (see server/env.ts) plus, optionally, a JSON file of users and tokens.
 *
 * Safe defaults: with no users, tokens or proxy configured, the dashboard is read-only and
 * everyone is an anonymous viewer; as soon as any identity is configured, authentication is
 * required. Anonymous access to a writable dashboard is not a configuration that loads.
 */

export interface AuthUser {
  username: string;
  role: Role;
  passwordHash: PasswordHash;
}

export interface AuthConfig {
  /** Effective mode: "none" lets anonymous viewers in; "required" answers 401 without credentials. */
  mode: AuthMode;
  /** Every write action is refused, with {@link readOnlyReason}. */
  readOnly: boolean;
  readOnlyReason: string | null;
  users: readonly AuthUser[];
  tokens: readonly ApiTokenEntry[];
  session: { idleMs: number; absoluteMs: number };
  /** null: no proxy is trusted and its headers are never read. */
  proxy: ProxySettings | null;
  /** Payload fields masked for viewers (lower-case). */
  maskFields: readonly string[];
}

/** Security settings that cannot run; lists every bad variable, like {@link ConfigError}. */
export class AuthConfigError extends ConfigError {
  constructor(issues: readonly ConfigIssue[]) {
    super(issues);
    this.name = "AuthConfigError";
  }
}

// Configuration files are written by people and scripts/auth.ts; a team has a handful of users
// and tokens. The bounds keep a mistaken file (a log, a dump) from being parsed into memory whole.
export const MAX_AUTH_FILE_BYTES = 1024 * 1024;
export const MAX_USERS = 1_000;
export const MAX_TOKENS = 1_000;
export const MAX_TRUSTED_PROXY_ADDRESSES = 64;
// Field names, not data; a list longer than this is a pasted payload, not a configuration.
export const MAX_MASK_FIELDS = 100;
const MAX_MASK_FIELD_LENGTH = 128;

// Session lifetimes. The idle timeout signs out an unattended screen; the absolute one bounds how
// long a stolen cookie works. Both can be stretched for a wall display, within a month.
export const DEFAULT_SESSION_IDLE_MINUTES = 8 * 60;
export const DEFAULT_SESSION_MAX_HOURS = 24;
const MAX_SESSION_IDLE_MINUTES = 7 * 24 * 60;
const MAX_SESSION_MAX_HOURS = 30 * 24;

/** Users and token names: they appear in logs, the audit trail and the UI. */
const NAME_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,${MAX_USERNAME_LENGTH - 1}}$`);
const NAME_RULE = `1 to ${MAX_USERNAME_LENGTH} letters, digits, . _ @ -, starting with a letter or digit`;
const HEADER_NAME_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
// Headers that carry something else already; naming one as the proxy's user header would let that
// value become an identity.
const RESERVED_HEADERS = new Set(["authorization", "cookie", "host", "origin", "content-type", "content-length"]);

export const READ_ONLY_BY_DEFAULT_REASON =
  "Outbox Lens is read-only: no users or tokens are configured (add them with `npx tsx scripts/auth.ts add-user|add-token <file> …` and set AUTH_FILE)";
export const READ_ONLY_BY_SETTING_REASON = "Outbox Lens is read-only: READ_ONLY=true is set";

/** Usernames and token names. */
export const authNameSchema = z.string({ error: "is required" }).regex(NAME_PATTERN, `must be ${NAME_RULE}`);
const passwordHashSchema = z.string({ error: "is required" }).superRefine((value, ctx) => {
  try {
    parsePasswordHash(value);
  } catch (error) {
    if (!(error instanceof PasswordHashFormatError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message });
  }
});
const tokenHashSchema = z
  .string({ error: "is required" })
  .refine((value) => parseApiTokenHash(value) !== null, "must be sha256$<64 lower-case hex digits> (create one with `npx tsx scripts/auth.ts add-token`)");

/** The AUTH_FILE format, also written by scripts/auth.ts. Strict: a misspelt key is an error. */
export const authFileSchema = z.strictObject({
  users: z
    .array(z.strictObject({ username: authNameSchema, role: roleSchema, passwordHash: passwordHashSchema }))
    .max(MAX_USERS, `at most ${MAX_USERS} users are supported`)
    .default([]),
  tokens: z
    .array(z.strictObject({ name: authNameSchema, role: roleSchema, tokenHash: tokenHashSchema }))
    .max(MAX_TOKENS, `at most ${MAX_TOKENS} tokens are supported`)
    .default([]),
});
export type AuthFile = z.infer<typeof authFileSchema>;

function integerInRange(unit: string, min: number, max: number, fallback: number) {
  const message = `must be an integer from ${min} to ${max} (${unit})`;
  return z.string().regex(/^\d+$/, message).transform(Number).pipe(z.number().int().min(min, message).max(max, message)).default(fallback);
}

function splitList(value: string | undefined, separator: string): string[] {
  return (value ?? "")
    .split(separator)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

const envSchema = z.object({
  AUTH_MODE: z.enum(["auto", "required", "none"], { error: "must be auto, required or none" }).default("auto"),
  READ_ONLY: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .transform((value) => value === "true" || value === "1")
    .optional(),
  AUTH_FILE: z.string().optional(),
  AUTH_USERS: z.string().optional(),
  AUTH_TOKENS: z.string().optional(),
  SESSION_IDLE_MINUTES: integerInRange("minutes", 1, MAX_SESSION_IDLE_MINUTES, DEFAULT_SESSION_IDLE_MINUTES),
  SESSION_MAX_HOURS: integerInRange("hours", 1, MAX_SESSION_MAX_HOURS, DEFAULT_SESSION_MAX_HOURS),
  TRUSTED_PROXY_ADDRESSES: z.string().optional(),
  AUTH_PROXY_USER_HEADER: z.string().optional(),
  AUTH_PROXY_GROUPS_HEADER: z.string().optional(),
  AUTH_PROXY_ROLES: z.string().optional(),
  MASK_FIELDS: z.string().optional(),
});
type AuthEnv = z.infer<typeof envSchema>;

/** The variables this module reads, for documentation and for callers that filter the environment. */
export const AUTH_VARIABLES = Object.keys(envSchema.shape) as readonly (keyof AuthEnv)[];

/** Reads a file as UTF-8 text; injectable so tests need no files. */
export type ReadTextFile = (path: string) => string;

const readUtf8: ReadTextFile = (path) => readFileSync(path, "utf8");

function zodPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`)).join("");
}

/** Users and tokens from AUTH_FILE, as raw entries; problems go to `issues`. */
function readAuthFile(path: string, readFile: ReadTextFile, issues: ConfigIssue[]): AuthFile | null {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})`;
    issues.push({ variable: "AUTH_FILE", message: `${absolute} ${reason}` });
    return null;
  }
  if (text.length > MAX_AUTH_FILE_BYTES) {
    issues.push({ variable: "AUTH_FILE", message: `${absolute} is larger than ${MAX_AUTH_FILE_BYTES} bytes; is it the right file?` });
    return null;
  }
  return parseAuthFile(text, absolute, issues);
}

/** Parses the text of an auth file; problems go to `issues` (variable AUTH_FILE) and null is returned. */
export function parseAuthFile(text: string, source: string, issues: ConfigIssue[]): AuthFile | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    issues.push({ variable: "AUTH_FILE", message: `${source} is not valid JSON (${(error as Error).message})` });
    return null;
  }
  const parsed = authFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const where = zodPath(issue.path);
    const what = issue.code === "unrecognized_keys" ? `unknown key${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((key) => `"${key}"`).join(", ")}` : issue.message;
    issues.push({ variable: "AUTH_FILE", message: `${source}${where ? ` ${where}` : ""}: ${what}` });
  }
  return null;
}

/** `name:role:secretHash;…` from AUTH_USERS or AUTH_TOKENS. Hashes contain no ":" or ";". */
function parseEnvEntries(
  variable: "AUTH_USERS" | "AUTH_TOKENS",
  value: string | undefined,
  checkHash: (hash: string) => string | null,
  issues: ConfigIssue[],
): { name: string; role: Role; hash: string }[] {
  const entries: { name: string; role: Role; hash: string }[] = [];
  splitList(value, ";").forEach((entry, index) => {
    const [name = "", role = "", hash = "", ...rest] = entry.split(":").map((part) => part.trim());
    // The entry itself is never echoed: it holds a hash.
    const label = `entry ${index + 1}${NAME_PATTERN.test(name) ? ` ("${name}")` : ""}`;
    const parsedRole = roleSchema.safeParse(role);
    let problem: string | null = null;
    if (rest.length > 0 || hash === "") problem = "is not name:role:hash";
    else if (!NAME_PATTERN.test(name)) problem = `has a name that is not ${NAME_RULE}`;
    else if (!parsedRole.success) problem = `has role "${role}"; expected viewer, operator or admin`;
    else problem = checkHash(hash);
    if (problem || !parsedRole.success) issues.push({ variable, message: `${label} ${problem ?? "is invalid"}` });
    else entries.push({ name, role: parsedRole.data, hash });
  });
  return entries;
}

function checkPasswordHash(hash: string): string | null {
  try {
    parsePasswordHash(hash);
    return null;
  } catch (error) {
    if (error instanceof PasswordHashFormatError) return `has a password hash that ${error.message}`;
    throw error;
  }
}

function readProxySettings(v: AuthEnv, issues: ConfigIssue[]): ProxySettings | null {
  const addresses = new Set<string>();
  const listed = splitList(v.TRUSTED_PROXY_ADDRESSES, ",");
  if (listed.length > MAX_TRUSTED_PROXY_ADDRESSES) {
    issues.push({ variable: "TRUSTED_PROXY_ADDRESSES", message: `lists ${listed.length} addresses; at most ${MAX_TRUSTED_PROXY_ADDRESSES} are supported` });
  }
  for (const entry of listed.slice(0, MAX_TRUSTED_PROXY_ADDRESSES)) {
    const address = normalizeAddress(entry);
    if (address === null) {
      issues.push({ variable: "TRUSTED_PROXY_ADDRESSES", message: `entry "${entry}" is not an IP address (ranges and host names are not supported)` });
    } else {
      addresses.add(address);
    }
  }

  const headerName = (variable: "AUTH_PROXY_USER_HEADER" | "AUTH_PROXY_GROUPS_HEADER", fallback: string): string => {
    const name = (v[variable] ?? fallback).toLowerCase();
    if (!HEADER_NAME_PATTERN.test(name)) issues.push({ variable, message: `"${name}" is not an HTTP header name (letters, digits, -)` });
    else if (RESERVED_HEADERS.has(name) || name.startsWith(INTERNAL_HEADER_PREFIX)) issues.push({ variable, message: `"${name}" carries something else and cannot hold the proxy's user` });
    return name;
  };
  const userHeader = headerName("AUTH_PROXY_USER_HEADER", DEFAULT_PROXY_USER_HEADER);
  const groupsHeader = headerName("AUTH_PROXY_GROUPS_HEADER", DEFAULT_PROXY_GROUPS_HEADER);
  if (userHeader === groupsHeader) issues.push({ variable: "AUTH_PROXY_GROUPS_HEADER", message: `must differ from AUTH_PROXY_USER_HEADER ("${userHeader}")` });

  let roles: ReturnType<typeof parseProxyRoles> = { roles: [], fallbackRole: null };
  try {
    roles = parseProxyRoles(v.AUTH_PROXY_ROLES ?? DEFAULT_PROXY_ROLES);
  } catch (error) {
    issues.push({ variable: "AUTH_PROXY_ROLES", message: (error as Error).message });
  }

  if (listed.length === 0) {
    // Proxy settings without a proxy to trust would silently never apply.
    for (const variable of ["AUTH_PROXY_USER_HEADER", "AUTH_PROXY_GROUPS_HEADER", "AUTH_PROXY_ROLES"] as const) {
      if (v[variable] !== undefined) issues.push({ variable, message: "is set but TRUSTED_PROXY_ADDRESSES is empty, so no proxy header is ever believed" });
    }
    return null;
  }
  return { addresses, userHeader, groupsHeader, ...roles };
}

function readMaskFields(value: string | undefined, issues: ConfigIssue[]): string[] {
  const fields = new Set<string>();
  for (const field of splitList(value, ",")) {
    if (field.length > MAX_MASK_FIELD_LENGTH || /\s/.test(field)) {
      issues.push({ variable: "MASK_FIELDS", message: `"${field.slice(0, 40)}" is not a field name (no spaces, at most ${MAX_MASK_FIELD_LENGTH} characters)` });
    } else {
      fields.add(field.toLowerCase());
    }
  }
  if (fields.size > MAX_MASK_FIELDS) issues.push({ variable: "MASK_FIELDS", message: `lists ${fields.size} fields; at most ${MAX_MASK_FIELDS} are supported` });
  return [...fields];
}

function findDuplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of names) {
    const key = name.toLowerCase();
    if (seen.has(key)) duplicates.add(name);
    seen.add(key);
  }
  return [...duplicates];
}

/**
 * Validates the security settings among `env` (the merged variables of server/env.ts's
 * readEnvironment) into an {@link AuthConfig}. Empty values count as unset. AUTH_FILE is resolved
 * against the working directory and read with `readFile`.
 *
 * @throws {AuthConfigError} naming every invalid setting, never a secret.
 */
export function readAuthConfig(env: Record<string, string | undefined>, readFile: ReadTextFile = readUtf8): AuthConfig {
  const normalized: Record<string, string> = {};
  for (const key of AUTH_VARIABLES) {
    const value = env[key]?.trim();
    if (value) normalized[key] = value;
  }
  const parsed = envSchema.safeParse(normalized);
  if (!parsed.success) {
    throw new AuthConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "(environment)"), message: issue.message })));
  }
  const v = parsed.data;
  const issues: ConfigIssue[] = [];

  const file = v.AUTH_FILE ? readAuthFile(v.AUTH_FILE, readFile, issues) : null;
  const envUsers = parseEnvEntries("AUTH_USERS", v.AUTH_USERS, checkPasswordHash, issues);
  const envTokens = parseEnvEntries("AUTH_TOKENS", v.AUTH_TOKENS, (hash) => (parseApiTokenHash(hash) ? null : "has a token hash that is not sha256$<64 lower-case hex digits>"), issues);

  const rawUsers = [...(file?.users ?? []), ...envUsers.map((entry) => ({ username: entry.name, role: entry.role, passwordHash: entry.hash }))];
  const rawTokens = [...(file?.tokens ?? []), ...envTokens.map((entry) => ({ name: entry.name, role: entry.role, tokenHash: entry.hash }))];
  if (rawUsers.length > MAX_USERS) issues.push({ variable: "AUTH_USERS", message: `AUTH_FILE and AUTH_USERS list ${rawUsers.length} users; at most ${MAX_USERS} are supported` });
  if (rawTokens.length > MAX_TOKENS) issues.push({ variable: "AUTH_TOKENS", message: `AUTH_FILE and AUTH_TOKENS list ${rawTokens.length} tokens; at most ${MAX_TOKENS} are supported` });
  for (const name of findDuplicates(rawUsers.map((user) => user.username))) {
    issues.push({ variable: "AUTH_USERS", message: `user "${name}" is defined more than once (AUTH_FILE and AUTH_USERS together; names are compared ignoring case)` });
  }
  for (const name of findDuplicates(rawTokens.map((token) => token.name))) {
    issues.push({ variable: "AUTH_TOKENS", message: `token "${name}" is defined more than once (AUTH_FILE and AUTH_TOKENS together; names are compared ignoring case)` });
  }
  if (findDuplicates(rawTokens.map((token) => token.tokenHash)).length > 0) {
    issues.push({ variable: "AUTH_TOKENS", message: "two tokens have the same hash; each token must be generated separately" });
  }

  const proxy = readProxySettings(v, issues);
  const maskFields = readMaskFields(v.MASK_FIELDS, issues);

  const hasIdentities = rawUsers.length > 0 || rawTokens.length > 0 || proxy !== null;
  if (v.AUTH_MODE === "none" && v.READ_ONLY !== true) {
    issues.push({
      variable: "AUTH_MODE",
      message: "none lets anyone in anonymously, so it is allowed only together with READ_ONLY=true (anonymous visitors must not retry, replay or restart anything)",
    });
  }
  if (v.AUTH_MODE === "required" && !hasIdentities) {
    issues.push({
      variable: "AUTH_MODE",
      message: "required, but no users (AUTH_FILE, AUTH_USERS), tokens (AUTH_FILE, AUTH_TOKENS) or trusted proxy (TRUSTED_PROXY_ADDRESSES) are configured: nobody could sign in",
    });
  }
  if (v.AUTH_MODE === "auto" && v.READ_ONLY === false && !hasIdentities) {
    issues.push({
      variable: "READ_ONLY",
      message: "false needs users, tokens or a trusted proxy: without them every visitor is anonymous, and anonymous visitors only ever get a read-only dashboard",
    });
  }
  if (issues.length > 0) throw new AuthConfigError(issues);

  const mode: AuthMode = v.AUTH_MODE === "none" || (v.AUTH_MODE === "auto" && !hasIdentities) ? "none" : "required";
  const readOnlyReason = v.READ_ONLY === true ? READ_ONLY_BY_SETTING_REASON : mode === "none" ? READ_ONLY_BY_DEFAULT_REASON : null;
  return {
    mode,
    readOnly: readOnlyReason !== null,
    readOnlyReason,
    users: rawUsers.map((user) => ({ username: user.username, role: user.role, passwordHash: parsePasswordHash(user.passwordHash) })),
    tokens: rawTokens.map((token) => ({ name: token.name, role: token.role, hash: parseApiTokenHash(token.tokenHash) as Buffer })),
    session: { idleMs: v.SESSION_IDLE_MINUTES * 60_000, absoluteMs: v.SESSION_MAX_HOURS * 3_600_000 },
    proxy,
    maskFields,
  };
}
