import { describe, expect, it } from "vitest";
import type { RawForm } from "@/lib/contracts/messages";
import { defaultValueForm, hexDump, parseRawJson, rawBytes, rawText, valueFormsOf } from "./value-forms";

const utf8 = (data: string, truncated = false): RawForm => ({ encoding: "utf8", data, sizeBytes: new TextEncoder().encode(data).length, truncated });
const hex = (data: string): RawForm => ({ encoding: "hex", data, sizeBytes: data.length / 2, truncated: false });
const NULL: RawForm = { encoding: "null", data: "", sizeBytes: 0, truncated: false };

describe("value forms", () => {
  it("opens each kind of record in the form that fits it", () => {
    expect(defaultValueForm("change")).toBe("decoded");
    expect(defaultValueForm("tombstone")).toBe("decoded");
    expect(defaultValueForm("json")).toBe("tree");
    expect(defaultValueForm("text")).toBe("text");
    expect(defaultValueForm("binary")).toBe("hex");
  });

  it("offers only the forms a value has", () => {
    expect(valueFormsOf("change", utf8("{}"))).toEqual(["decoded", "tree", "text", "hex"]);
    expect(valueFormsOf("tombstone", NULL)).toEqual(["decoded"]);
    expect(valueFormsOf("text", utf8("hello"))).toEqual(["text", "hex"]);
    expect(valueFormsOf("binary", hex("ff00"))).toEqual(["text", "hex"]);
  });

  it("converts between text and bytes", () => {
    expect([...rawBytes(utf8("é"))]).toEqual([0xc3, 0xa9]);
    expect([...rawBytes(hex("c3a9ff"))]).toEqual([0xc3, 0xa9, 0xff]);
    expect(rawText(hex("c3a9ff"))).toBe("é\uFFFD");
    expect(rawText(NULL)).toBe("");
  });

  it("parses JSON, and says why not", () => {
    expect(parseRawJson(utf8('{"a":[1]}'))).toEqual({ ok: true, value: { a: [1] } });
    expect(parseRawJson(utf8("{nope")).ok).toBe(false);
    expect(parseRawJson(utf8('{"a":', true))).toEqual({ ok: false, error: expect.stringContaining("load the full message") });
  });

  it("dumps bytes as offset, hex and ASCII, up to a limit", () => {
    const bytes = new TextEncoder().encode('{"a":"<script>"}\n!');
    const { lines, shownBytes } = hexDump(bytes);
    expect(shownBytes).toBe(18);
    expect(lines).toEqual([
      "00000000  7b 22 61 22 3a 22 3c 73  63 72 69 70 74 3e 22 7d  |{\"a\":\"<script>\"}|",
      "00000010  0a 21                                             |.!|",
    ]);
    expect(hexDump(new Uint8Array(100), 32)).toMatchObject({ shownBytes: 32 });
    expect(hexDump(new Uint8Array(100), 32).lines).toHaveLength(2);
  });
});
