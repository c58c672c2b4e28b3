import { describe, expect, it } from "vitest";
import { ApiTokenIndex, generateApiToken, hashApiToken, isApiTokenShaped, parseApiTokenHash } from "./tokens";

describe("API tokens", () => {
  it("are olt_ and 32 random bytes in base64url", () => {
    const token = generateApiToken();
    expect(token).toMatch(/^olt_[A-Za-z0-9_-]{43}$/);
    expect(isApiTokenShaped(token)).toBe(true);
    expect(generateApiToken()).not.toBe(token);
  });

  it("are stored as sha256$<hex>, which parses back to the digest", () => {
    const stored = hashApiToken("olt_example");
    expect(stored).toMatch(/^sha256\$[0-9a-f]{64}$/);
    expect(parseApiTokenHash(stored)?.toString("hex")).toBe(stored.slice("sha256$".length));
    expect(parseApiTokenHash("sha256$ABC")).toBeNull();
    expect(parseApiTokenHash("olt_plaintext")).toBeNull();
  });

  it("are found by the token, never by its hash or a near miss", () => {
    const ci = generateApiToken();
    const grafana = generateApiToken();
    const index = new ApiTokenIndex([
      { name: "ci", role: "operator", hash: parseApiTokenHash(hashApiToken(ci)) as Buffer },
      { name: "grafana", role: "viewer", hash: parseApiTokenHash(hashApiToken(grafana)) as Buffer },
    ]);
    expect(index.find(ci)).toEqual({ name: "ci", role: "operator" });
    expect(index.find(grafana)).toEqual({ name: "grafana", role: "viewer" });
    expect(index.find(hashApiToken(ci))).toBeNull();
    expect(index.find(`${ci.slice(0, -1)}${ci.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(index.find(generateApiToken())).toBeNull();
    expect(index.find("")).toBeNull();
  });
});
