import { describe, expect, it } from "vitest";
import { AuthConfigError, READ_ONLY_BY_DEFAULT_REASON, READ_ONLY_BY_SETTING_REASON, readAuthConfig, type ReadTextFile } from "./config";
import { ConfigError } from "@/server/env";
import { hashApiToken } from "./tokens";

// Well-formed hashes; config loading checks their form, not any password.
const HASH = `scrypt$14$8$1$${Buffer.alloc(16, 7).toString("base64")}$${Buffer.alloc(32, 9).toString("base64")}`;
const TOKEN_HASH = hashApiToken("olt_ci");

function files(contents: Record<string, string>): ReadTextFile {
  return (path) => {
    const name = path.split("/").pop() ?? "";
    if (!(name in contents)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    return contents[name] as string;
  };
}

function configError(env: Record<string, string>, readFile?: ReadTextFile): AuthConfigError {
  try {
    readAuthConfig(env, readFile);
  } catch (error) {
    if (error instanceof AuthConfigError) return error;
    throw error;
  }
  throw new Error("expected an AuthConfigError");
}

describe("readAuthConfig", () => {
  it("is read-only with anonymous viewers when nothing is configured", () => {
    const config = readAuthConfig({});
    expect(config).toMatchObject({
      mode: "none",
      readOnly: true,
      readOnlyReason: READ_ONLY_BY_DEFAULT_REASON,
      users: [],
      tokens: [],
      proxy: null,
      maskFields: [],
      session: { idleMs: 8 * 3_600_000, absoluteMs: 24 * 3_600_000 },
    });
    expect(READ_ONLY_BY_DEFAULT_REASON).toMatch(/^Outbox Lens is read-only: no users or tokens are configured/);
  });

  it("requires authentication as soon as users are configured, from the file and the environment", () => {
    const authFile = JSON.stringify({ users: [{ username: "alice", role: "admin", passwordHash: HASH }], tokens: [{ name: "ci", role: "operator", tokenHash: TOKEN_HASH }] });
    const config = readAuthConfig({ AUTH_FILE: "auth.json", AUTH_USERS: `bob:viewer:${HASH}` }, files({ "auth.json": authFile }));
    expect(config.mode).toBe("required");
    expect(config.readOnly).toBe(false);
    expect(config.users.map((user) => [user.username, user.role, user.passwordHash.logN])).toEqual([["alice", "admin", 14], ["bob", "viewer", 14]]);
    expect(config.tokens.map((token) => [token.name, token.role])).toEqual([["ci", "operator"]]);
  });

  it("extends ConfigError, so the server's start-up prints it like any bad setting", () => {
    const error = configError({ AUTH_MODE: "sometimes" });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^Invalid Outbox Lens configuration:\n {2}- AUTH_MODE: must be auto, required or none/);
  });

  it("refuses AUTH_MODE=none without READ_ONLY=true", () => {
    const error = configError({ AUTH_MODE: "none", AUTH_USERS: `alice:admin:${HASH}` });
    expect(error.issues).toEqual([{ variable: "AUTH_MODE", message: expect.stringContaining("allowed only together with READ_ONLY=true") }]);
    expect(readAuthConfig({ AUTH_MODE: "none", READ_ONLY: "true" })).toMatchObject({ mode: "none", readOnly: true, readOnlyReason: READ_ONLY_BY_SETTING_REASON });
  });

  it("refuses AUTH_MODE=required with nobody able to sign in, and READ_ONLY=false with only anonymous visitors", () => {
    expect(configError({ AUTH_MODE: "required" }).message).toMatch(/AUTH_MODE: required, but no users .* nobody could sign in/);
    expect(configError({ READ_ONLY: "false" }).issues[0]?.variable).toBe("READ_ONLY");
  });

  it("keeps sign-in required and writes refused with users and READ_ONLY=true", () => {
    const config = readAuthConfig({ READ_ONLY: "true", AUTH_USERS: `alice:admin:${HASH}` });
    expect(config).toMatchObject({ mode: "required", readOnly: true, readOnlyReason: READ_ONLY_BY_SETTING_REASON });
  });

  it("rejects a malformed password hash at load, naming the user and not echoing the hash", () => {
    const error = configError({ AUTH_USERS: `alice:admin:${HASH};bob:viewer:hunter2` });
    expect(error.issues).toEqual([{ variable: "AUTH_USERS", message: expect.stringMatching(/^entry 2 \("bob"\) has a password hash that is not a password hash of the form scrypt/) }]);
    expect(error.message).not.toContain("hunter2");

    const weak = configError(
      { AUTH_FILE: "auth.json" },
      files({ "auth.json": JSON.stringify({ users: [{ username: "carol", role: "viewer", passwordHash: HASH.replace("scrypt$14$", "scrypt$10$") }] }) }),
    );
    expect(weak.message).toMatch(/auth\.json users\[0\]\.passwordHash: has unsupported scrypt parameters: logN 10 is outside 14\.\.16/);
  });

  it("names every problem of the file: unknown keys, bad roles, bad token hashes, duplicates", () => {
    const authFile = JSON.stringify({
      users: [
        { username: "alice", role: "root", passwordHash: HASH },
        { username: "bob", role: "viewer", password: "plain" },
      ],
      tokens: [{ name: "ci", role: "operator", tokenHash: "olt_plaintext" }],
      groups: [],
    });
    const messages = configError({ AUTH_FILE: "auth.json" }, files({ "auth.json": authFile })).issues.map((issue) => issue.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/auth\.json users\[0\]\.role: must be one of viewer, operator, admin$/),
        expect.stringMatching(/auth\.json users\[1\]: unknown key "password"$/),
        expect.stringMatching(/auth\.json tokens\[0\]\.tokenHash: must be sha256\$/),
        expect.stringMatching(/auth\.json: unknown key "groups"$/),
      ]),
    );

    const duplicate = configError({ AUTH_USERS: `alice:admin:${HASH};Alice:viewer:${HASH}` });
    expect(duplicate.message).toMatch(/user "Alice" is defined more than once/);
  });

  it("says when AUTH_FILE is missing or not JSON", () => {
    expect(configError({ AUTH_FILE: "missing.json" }, files({})).message).toMatch(/AUTH_FILE: \/.*missing\.json does not exist/);
    expect(configError({ AUTH_FILE: "auth.json" }, files({ "auth.json": "users: []" })).message).toMatch(/auth\.json is not valid JSON/);
  });

  it("reads session lifetimes within their bounds", () => {
    expect(readAuthConfig({ SESSION_IDLE_MINUTES: "30", SESSION_MAX_HOURS: "12" }).session).toEqual({ idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 });
    expect(configError({ SESSION_IDLE_MINUTES: "0", SESSION_MAX_HOURS: "1000" }).issues.map((issue) => issue.variable)).toEqual(["SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"]);
  });

  it("reads the trusted proxy, normalising addresses, and requires authentication with it", () => {
    const config = readAuthConfig({ TRUSTED_PROXY_ADDRESSES: "10.0.0.5, ::ffff:10.0.0.6", AUTH_PROXY_ROLES: "ops=operator,*=viewer", AUTH_PROXY_USER_HEADER: "X-Auth-Request-User" });
    expect(config.mode).toBe("required");
    expect(config.proxy).toEqual({
      addresses: new Set(["10.0.0.5", "10.0.0.6"]),
      userHeader: "x-auth-request-user",
      groupsHeader: "x-forwarded-groups",
      roles: [{ group: "ops", role: "operator" }],
      fallbackRole: "viewer",
    });
  });

  it("names bad proxy settings", () => {
    const error = configError({ TRUSTED_PROXY_ADDRESSES: "10.0.0.0/8,proxy.local", AUTH_PROXY_ROLES: "ops=root", AUTH_PROXY_USER_HEADER: "x-outbox-lens-remote-address" });
    expect(error.issues.map((issue) => issue.variable)).toEqual(["TRUSTED_PROXY_ADDRESSES", "TRUSTED_PROXY_ADDRESSES", "AUTH_PROXY_USER_HEADER", "AUTH_PROXY_ROLES"]);
    expect(configError({ AUTH_PROXY_ROLES: "ops=admin" }).message).toMatch(/AUTH_PROXY_ROLES: is set but TRUSTED_PROXY_ADDRESSES is empty/);
  });

  it("reads MASK_FIELDS as lower-case names", () => {
    expect(readAuthConfig({ MASK_FIELDS: "email, Phone,,email" }).maskFields).toEqual(["email", "phone"]);
  });
});
