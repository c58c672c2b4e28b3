import { describe, expect, it } from "vitest";
import { normalizeAddress, parseProxyRoles, proxyIdentity, type ProxySettings } from "./proxy";

const settings: ProxySettings = {
  addresses: new Set(["10.0.0.5", "fd00::5"]),
  userHeader: "x-forwarded-user",
  groupsHeader: "x-forwarded-groups",
  ...parseProxyRoles("ops-admins=admin,ops=operator,*=viewer"),
};

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe("normalizeAddress", () => {
  it("turns IPv4-mapped IPv6 into IPv4 and canonicalises IPv6", () => {
    expect(normalizeAddress("::ffff:10.0.0.5")).toBe("10.0.0.5");
    expect(normalizeAddress("::FFFF:0a00:0005")).toBe("10.0.0.5");
    expect(normalizeAddress("FD00:0:0:0:0:0:0:5")).toBe("fd00::5");
    expect(normalizeAddress(" 192.0.2.1 ")).toBe("192.0.2.1");
  });

  it("refuses what is not an address", () => {
    expect(normalizeAddress("proxy.internal")).toBeNull();
    expect(normalizeAddress("10.0.0.0/8")).toBeNull();
    expect(normalizeAddress("")).toBeNull();
  });
});

describe("parseProxyRoles", () => {
  it("reads group=role pairs and * as everyone's floor", () => {
    expect(parseProxyRoles(" ops=operator , *=viewer ")).toEqual({ roles: [{ group: "ops", role: "operator" }], fallbackRole: "viewer" });
    // The role follows the last "=", so a group name may hold one.
    expect(parseProxyRoles("team=ops=admin")).toEqual({ roles: [{ group: "team=ops", role: "admin" }], fallbackRole: null });
  });

  it("names a bad entry", () => {
    expect(() => parseProxyRoles("ops=root")).toThrow(/entry "ops=root" is not group=role/);
    expect(() => parseProxyRoles("ops")).toThrow(/entry "ops"/);
    expect(() => parseProxyRoles("ops=viewer,ops=admin")).toThrow(/group "ops" is listed twice/);
  });
});

describe("proxyIdentity", () => {
  const asserted = headers({ "x-forwarded-user": "alice", "x-forwarded-groups": "staff, ops" });

  it("takes user and groups from a trusted proxy, with the highest mapped role", () => {
    expect(proxyIdentity(asserted, "10.0.0.5", settings)).toEqual({ kind: "user", name: "alice", role: "operator" });
    expect(proxyIdentity(headers({ "x-forwarded-user": "root", "x-forwarded-groups": "ops,ops-admins" }), "10.0.0.5", settings)).toMatchObject({ role: "admin" });
    expect(proxyIdentity(headers({ "x-forwarded-user": "bob" }), "fd00:0::5", settings)).toEqual({ kind: "user", name: "bob", role: "viewer" });
  });

  it("believes the proxy when a dual-stack socket reports it as IPv4-mapped IPv6", () => {
    expect(proxyIdentity(asserted, "::ffff:10.0.0.5", settings)).toMatchObject({ kind: "user", name: "alice" });
  });

  it("ignores the headers from any other address, or when the address is unknown", () => {
    expect(proxyIdentity(asserted, "10.0.0.6", settings)).toEqual({ kind: "none" });
    expect(proxyIdentity(asserted, "127.0.0.1", settings)).toEqual({ kind: "none" });
    expect(proxyIdentity(asserted, null, settings)).toEqual({ kind: "none" });
    expect(proxyIdentity(asserted, "garbage", settings)).toEqual({ kind: "none" });
  });

  it("asserts nothing without a usable user header", () => {
    expect(proxyIdentity(headers({ "x-forwarded-groups": "ops" }), "10.0.0.5", settings)).toEqual({ kind: "none" });
    expect(proxyIdentity(headers({ "x-forwarded-user": "   " }), "10.0.0.5", settings)).toEqual({ kind: "none" });
    expect(proxyIdentity({ "x-forwarded-user": ["alice", "mallory"] }, "10.0.0.5", settings)).toEqual({ kind: "none" });
    const appended = new Headers({ "x-forwarded-user": "mallory" });
    appended.append("x-forwarded-user", "alice");
    expect(proxyIdentity(appended, "10.0.0.5", settings)).toEqual({ kind: "none" });
  });

  it("reports a user in no mapped group when there is no * entry", () => {
    const strict = { ...settings, ...parseProxyRoles("ops=operator") };
    expect(proxyIdentity(headers({ "x-forwarded-user": "eve", "x-forwarded-groups": "sales" }), "10.0.0.5", strict)).toEqual({ kind: "no-role", name: "eve" });
  });

  it("reads Node's IncomingHttpHeaders as well", () => {
    expect(proxyIdentity({ "x-forwarded-user": "alice", "x-forwarded-groups": "ops-admins" }, "10.0.0.5", settings)).toMatchObject({ role: "admin" });
  });
});
