import { describe, expect, it } from "vitest";
import { isOriginAllowed } from "./origin";

describe("isOriginAllowed", () => {
  it("allows the server's own origin, whatever the case of the host", () => {
    expect(isOriginAllowed("http://127.0.0.1:3000", "127.0.0.1:3000", [])).toBe(true);
    expect(isOriginAllowed("https://Ops.Example.com", "ops.example.com", [])).toBe(true);
  });

  it("allows handshakes without an Origin (same-origin polling GETs, non-browser clients)", () => {
    expect(isOriginAllowed(undefined, "127.0.0.1:3000", [])).toBe(true);
  });

  it("rejects other sites, other ports and non-web origins", () => {
    expect(isOriginAllowed("https://evil.example", "127.0.0.1:3000", [])).toBe(false);
    expect(isOriginAllowed("http://127.0.0.1:4000", "127.0.0.1:3000", [])).toBe(false);
    expect(isOriginAllowed("null", "127.0.0.1:3000", [])).toBe(false);
    expect(isOriginAllowed("file://", "127.0.0.1:3000", [])).toBe(false);
  });

  it("allows configured origins (e.g. behind a reverse proxy that rewrites Host)", () => {
    expect(isOriginAllowed("https://ops.example.com", "10.0.0.5:3000", ["https://ops.example.com"])).toBe(true);
    expect(isOriginAllowed("https://ops.example.com:8443", "10.0.0.5:3000", ["https://ops.example.com"])).toBe(false);
  });
});
