import { describe, expect, it } from "vitest";
import { canStartJson, decodeUtf8, decodeUtf8Prefix, firstSignificantByte, hexPreview, utf8Length, utf8PrefixEnd } from "./bytes";
import { MAX_JSON_DEPTH, nestsDeeperThan, ownValue, parseJson, setOwnValue } from "./json";
import { formatLsn } from "./source";

const encode = (text: string) => new TextEncoder().encode(text);

describe("utf8PrefixEnd", () => {
  it("never cuts inside a 2-, 3- or 4-byte character", () => {
    for (const char of ["é", "€", "😀"]) {
      const value = encode(`a${char.repeat(10)}`);
      for (let max = 0; max <= value.length; max++) {
        const end = utf8PrefixEnd(value, max);
        expect(end).toBeLessThanOrEqual(max);
        expect(max - end).toBeLessThan(encode(char).length);
        expect(decodeUtf8(value.subarray(0, end))).toBeDefined();
      }
    }
  });

  it("keeps everything when the value fits", () => {
    expect(utf8PrefixEnd(encode("héllo"), 100)).toBe(6);
  });

  it("decodes the prefix as text, and invalid bytes inside it as undefined", () => {
    expect(decodeUtf8Prefix(encode("€€€"), 7)).toBe("€€");
    expect(decodeUtf8Prefix(new Uint8Array([0x61, 0xff, 0x62]), 3)).toBeUndefined();
    // Invalid bytes after the cut are not looked at.
    expect(decodeUtf8Prefix(new Uint8Array([0x61, 0x62, 0xff]), 2)).toBe("ab");
  });
});

describe("utf8Length", () => {
  it("matches TextEncoder, lone surrogates included", () => {
    for (const text of ["", "plain", "héllo wörld", "€ and 😀 and 𝄞", "\ud800 lone high", "lone low \udc00", "\ud83d", "a\u0000b"]) {
      expect(utf8Length(text)).toBe(encode(text).length);
    }
  });
});

describe("hexPreview", () => {
  it("writes two lower-case digits per byte, up to the limit", () => {
    expect(hexPreview(new Uint8Array([0x00, 0x0f, 0xa9, 0xff]), 10)).toBe("000fa9ff");
    expect(hexPreview(new Uint8Array([0xde, 0xad, 0xbe, 0xef]), 2)).toBe("dead");
    expect(hexPreview(new Uint8Array([1]), 0)).toBe("");
  });
});

describe("firstSignificantByte / canStartJson", () => {
  it("skips JSON whitespace and a UTF-8 BOM", () => {
    expect(firstSignificantByte(encode(" \r\n\t{}"))).toBe(0x7b);
    expect(firstSignificantByte(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x5d]))).toBe(0x5b);
    expect(firstSignificantByte(encode("   "))).toBe(-1);
    expect(firstSignificantByte(new Uint8Array())).toBe(-1);
  });

  it("accepts only the bytes JSON can start with", () => {
    expect([..."{[\"-0123456789tfn"].every((c) => canStartJson(c.charCodeAt(0)))).toBe(true);
    expect([..."aAxz<}]' "].some((c) => canStartJson(c.charCodeAt(0)))).toBe(false);
    expect(canStartJson(-1)).toBe(false);
  });
});

describe("JSON helpers", () => {
  it("measures nesting without overflowing, whatever the depth", () => {
    const nest = (depth: number) => JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;
    expect(nestsDeeperThan(nest(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nest(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(nest(100_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1, { c: 2 }] } }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: { b: [1, { c: {} }] } }, 4)).toBe(true);
    expect(nestsDeeperThan("text", 0)).toBe(false);
  });

  it("reads and writes own properties only, __proto__ included", () => {
    const row = JSON.parse('{"__proto__": "x", "status": "pending"}') as object;
    expect(ownValue(row, "__proto__")).toBe("x");
    expect(ownValue(row, "constructor")).toBeUndefined();
    expect(ownValue({}, "toString")).toBeUndefined();
    setOwnValue(row, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(ownValue(row, "__proto__")).toEqual({ polluted: true });
    const fresh: object = {};
    setOwnValue(fresh, "__proto__", { polluted: true });
    expect(Object.getPrototypeOf(fresh)).toBe(Object.prototype);
    expect(Object.keys(fresh)).toEqual(["__proto__"]);
  });

  it("parses without throwing and tells syntax errors from depth errors", () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    const invalid = parseJson('{"a":');
    expect(invalid.ok).toBe(false);
    expect(invalid.ok === false && invalid.tooDeep).toBe(false);
    expect(invalid.ok === false && invalid.message.length).toBeGreaterThan(0);
  });
});

describe("formatLsn", () => {
  it("writes an LSN as PostgreSQL does", () => {
    expect(formatLsn(26550232)).toBe("0/1951FD8");
    expect(formatLsn(97500059720)).toBe("16/B374D848");
    expect(formatLsn(0)).toBe("0/0");
  });
});
