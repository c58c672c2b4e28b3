import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuthFileError, loadAuthFile, saveAuthFile, withoutUser, withToken, withUser } from "./auth-file";
import { readAuthConfig } from "./config";
import { hashApiToken } from "./tokens";

const HASH = `scrypt$14$8$1$${Buffer.alloc(16, 7).toString("base64")}$${Buffer.alloc(32, 9).toString("base64")}`;

const directories: string[] = [];
function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), "outbox-lens-auth-"));
  directories.push(directory);
  return join(directory, "auth.json");
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("auth file editing", () => {
  it("creates the file with mode 0600, in a form the server loads", () => {
    const path = scratch();
    const file = withToken(withUser(loadAuthFile(path), { username: "alice", role: "admin", passwordHash: HASH }, { replace: false }), { name: "ci", role: "operator", tokenHash: hashApiToken("olt_x") }, { replace: false });
    saveAuthFile(path, file);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadAuthFile(path)).toEqual(file);
    const config = readAuthConfig({ AUTH_FILE: path });
    expect(config.users.map((user) => user.username)).toEqual(["alice"]);
    expect(config.tokens.map((token) => token.name)).toEqual(["ci"]);
  });

  it("tightens an existing file's mode when it rewrites it", () => {
    const path = scratch();
    writeFileSync(path, '{"users":[],"tokens":[]}', { mode: 0o644 });
    saveAuthFile(path, withUser(loadAuthFile(path), { username: "bob", role: "viewer", passwordHash: HASH }, { replace: false }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("refuses a second user of the same name unless replacing, and removing one that is not there", () => {
    const file = withUser({ users: [], tokens: [] }, { username: "alice", role: "viewer", passwordHash: HASH }, { replace: false });
    expect(() => withUser(file, { username: "Alice", role: "admin", passwordHash: HASH }, { replace: false })).toThrow(/user "Alice" already exists; pass --replace/);
    expect(withUser(file, { username: "alice", role: "admin", passwordHash: HASH }, { replace: true }).users).toEqual([{ username: "alice", role: "admin", passwordHash: HASH }]);
    expect(() => withoutUser(file, "bob")).toThrow(AuthFileError);
  });

  it("refuses to write what the server would not load, and to read a broken file", () => {
    const path = scratch();
    expect(() => saveAuthFile(path, { users: [{ username: "alice", role: "admin", passwordHash: "hunter2" }], tokens: [] })).toThrow(/passwordHash: is not a password hash/);
    writeFileSync(path, "{ not json");
    expect(() => loadAuthFile(path)).toThrow(/is not a valid auth file/);
    expect(readFileSync(path, "utf8")).toBe("{ not json");
  });
});
