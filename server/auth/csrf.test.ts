import { describe, expect, it } from "vitest";
import { checkMutationRequest, isJsonContentType, ownOrigin, type MutationRequest } from "./csrf";

function request(method: string, values: Record<string, string>, overrides: Partial<MutationRequest> = {}): MutationRequest {
  return { method, headers: new Headers({ host: "lens.example.com:3000", ...values }), tls: false, allowedOrigins: [], bearer: false, ...overrides };
}

const JSON_TYPE = { "content-type": "application/json" };

describe("checkMutationRequest", () => {
  it("refuses a cross-site text/plain form post with 403, naming the origin", () => {
    const refusal = checkMutationRequest(request("POST", { origin: "https://evil.example", "content-type": "text/plain" }));
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toMatch(/cross-site request refused: Origin https:\/\/evil\.example is neither this server's origin \(http:\/\/lens\.example\.com:3000\)/);
  });

  it("accepts a same-origin JSON request", () => {
    expect(checkMutationRequest(request("POST", { origin: "http://lens.example.com:3000", ...JSON_TYPE }))).toBeNull();
    expect(checkMutationRequest(request("DELETE", { origin: "https://lens.example.com:3000", "content-type": "application/json; charset=UTF-8" }, { tls: true }))).toBeNull();
  });

  it("compares the scheme too: http page, https server is another origin", () => {
    expect(checkMutationRequest(request("POST", { origin: "http://lens.example.com:3000", ...JSON_TYPE }, { tls: true }))?.status).toBe(403);
  });

  it("accepts an origin listed in ALLOWED_ORIGINS", () => {
    const values = { origin: "https://ops.example.com", ...JSON_TYPE };
    expect(checkMutationRequest(request("PATCH", values, { allowedOrigins: ["https://ops.example.com"] }))).toBeNull();
    expect(checkMutationRequest(request("PATCH", values))?.status).toBe(403);
  });

  it("falls back to Sec-Fetch-Site when there is no Origin", () => {
    expect(checkMutationRequest(request("POST", { "sec-fetch-site": "same-origin", ...JSON_TYPE }))).toBeNull();
    expect(checkMutationRequest(request("POST", { "sec-fetch-site": "same-site", ...JSON_TYPE }))?.status).toBe(403);
    expect(checkMutationRequest(request("POST", { "sec-fetch-site": "cross-site", ...JSON_TYPE }))?.status).toBe(403);
    expect(checkMutationRequest(request("POST", JSON_TYPE))?.message).toMatch(/must come from the dashboard's own pages/);
  });

  it("refuses Origin: null (sandboxed frames, some redirects)", () => {
    expect(checkMutationRequest(request("POST", { origin: "null", ...JSON_TYPE }))?.status).toBe(403);
  });

  it("refuses a same-origin request that is not JSON with 415, naming the type", () => {
    const refusal = checkMutationRequest(request("POST", { origin: "http://lens.example.com:3000", "content-type": "text/plain;charset=UTF-8" }));
    expect(refusal).toEqual({ status: 415, message: 'Content-Type must be application/json (got "text/plain;charset=UTF-8")' });
    expect(checkMutationRequest(request("PUT", { origin: "http://lens.example.com:3000" }))?.message).toMatch(/none was sent/);
    expect(checkMutationRequest(request("POST", { origin: "http://lens.example.com:3000", "content-type": "application/x-www-form-urlencoded" }))?.status).toBe(415);
  });

  it("skips the origin check for bearer-token requests, but still needs JSON", () => {
    expect(checkMutationRequest(request("POST", JSON_TYPE, { bearer: true }))).toBeNull();
    expect(checkMutationRequest(request("POST", { origin: "https://elsewhere.example", "content-type": "text/plain" }, { bearer: true }))?.status).toBe(415);
  });

  it("does not check safe methods", () => {
    expect(checkMutationRequest(request("GET", { origin: "https://evil.example" }))).toBeNull();
    expect(checkMutationRequest(request("HEAD", {}))).toBeNull();
  });
});

describe("isJsonContentType", () => {
  it("accepts application/json with an optional UTF-8 charset only", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/json; charset=latin1")).toBe(false);
    expect(isJsonContentType("application/json-patch+json")).toBe(false);
    expect(isJsonContentType("text/plain")).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
  });
});

describe("ownOrigin", () => {
  it("is the Host with the connection's scheme; a Host that is not a host gives none", () => {
    expect(ownOrigin(new Headers({ host: "lens.example.com:443" }), true)).toBe("https://lens.example.com");
    expect(ownOrigin(new Headers({ host: "[::1]:3000" }), false)).toBe("http://[::1]:3000");
    expect(ownOrigin(new Headers({ host: "evil.example/x" }), false)).toBeNull();
    expect(ownOrigin(new Headers({ host: "user@evil.example" }), false)).toBeNull();
    expect(ownOrigin(new Headers(), false)).toBeNull();
  });
});
