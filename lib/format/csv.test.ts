import { describe, expect, it } from "vitest";
import { csvField, toCsvRow } from "./csv";

describe("toCsvRow", () => {
  it("quotes fields with commas, quotes and line breaks, doubling quotes", () => {
    expect(toCsvRow(["a", "b,c", 'say "hi"', "two\nlines", 3, null, undefined, true])).toBe('a,"b,c","say ""hi""","two\nlines",3,,,true\r\n');
  });

  it("defuses text a spreadsheet would run as a formula, but not numbers", () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe("-5");
  });
});
