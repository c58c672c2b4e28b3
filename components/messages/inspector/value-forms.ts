import type { RawForm } from "@/lib/contracts/messages";
import type { DecodedRecordKind } from "@/lib/debezium";

/**
 * The ways the inspector shows a value, and the pure conversions behind them: the raw form as
 * received (text, or hex for bytes that are not UTF-8) turned into a JSON tree, text or a hex dump.
 */

/** decoded: the change event as fields; tree: the value as a JSON tree; text: as text; hex: a hex dump. */
export type ValueForm = "decoded" | "tree" | "text" | "hex";

export const VALUE_FORM_LABELS: Readonly<Record<ValueForm, string>> = {
  decoded: "Decoded",
  tree: "JSON tree",
  text: "Text",
  hex: "Hex",
};

/** Bytes a hex dump shows at first (16 a line, so 1,024 lines): more waits for a click. */
export const HEX_DUMP_BYTES = 16 * 1024;
const HEX_LINE_BYTES = 16;

/** The form a record opens in: its decoded fields for a change event or tombstone, else by what the value is. */
export function defaultValueForm(kind: DecodedRecordKind): ValueForm {
  switch (kind) {
    case "change":
    case "tombstone":
      return "decoded";
    case "json":
      return "tree";
    case "text":
      return "text";
    case "binary":
      return "hex";
  }
}

/** The forms one record can be switched to: a value that is not JSON has no tree, a tombstone no value at all. */
export function valueFormsOf(kind: DecodedRecordKind, value: RawForm): ValueForm[] {
  const forms: ValueForm[] = [];
  if (kind === "change" || kind === "tombstone") forms.push("decoded");
  if (value.encoding === "null") return forms;
  if (kind === "change" || kind === "json") forms.push("tree");
  forms.push("text", "hex");
  return forms;
}

function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, "");
  const bytes = new Uint8Array(Math.floor(clean.length / 2));
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = Number.parseInt(clean.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

/** The bytes of a raw form (its UTF-8 encoding for text). */
export function rawBytes(raw: RawForm): Uint8Array {
  if (raw.encoding === "null") return new Uint8Array(0);
  if (raw.encoding === "hex") return hexToBytes(raw.data);
  return new TextEncoder().encode(raw.data);
}

/** The raw form as text; bytes that are not UTF-8 become U+FFFD, as a browser would show them. */
export function rawText(raw: RawForm): string {
  if (raw.encoding === "null") return "";
  if (raw.encoding === "utf8") return raw.data;
  return new TextDecoder("utf-8", { fatal: false }).decode(hexToBytes(raw.data));
}

/** The raw form parsed as JSON, or why it is not JSON (a preview cut mid-value is not). */
export function parseRawJson(raw: RawForm): { ok: true; value: unknown } | { ok: false; error: string } {
  if (raw.truncated) return { ok: false, error: "only the start of the value was read; load the full message to see it as a tree" };
  try {
    return { ok: true, value: JSON.parse(rawText(raw)) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".";
}

/**
 * `xxd`-style lines: offset, 16 bytes in hex (two groups of 8), and the printable ASCII. At most
 * `maxBytes` bytes; `shownBytes` says how many made it.
 */
export function hexDump(bytes: Uint8Array, maxBytes = HEX_DUMP_BYTES): { lines: string[]; shownBytes: number } {
  const shown = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let start = 0; start < shown; start += HEX_LINE_BYTES) {
    const end = Math.min(start + HEX_LINE_BYTES, shown);
    const hex: string[] = [];
    let ascii = "";
    for (let index = start; index < start + HEX_LINE_BYTES; index += 1) {
      if (index < end) {
        hex.push(bytes[index]!.toString(16).padStart(2, "0"));
        ascii += printable(bytes[index]!);
      } else hex.push("  ");
    }
    lines.push(`${start.toString(16).padStart(8, "0")}  ${hex.slice(0, 8).join(" ")}  ${hex.slice(8).join(" ")}  |${ascii}|`);
  }
  return { lines, shownBytes: shown };
}
