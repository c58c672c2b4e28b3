/**
 * Byte-level helpers for record keys, values and headers. Kafka hands them over as bytes (Node
 * Buffers on the server, which are Uint8Arrays); nothing here needs Buffer.
 */

/**
 * Longest hex preview of a binary value, in bytes of input (twice as many characters). A hex dump
 * beyond this is not read by anyone in a list or an inspector panel; `hexPreview` with a larger
 * limit is there for a "show all bytes" view.
 */
export const MAX_HEX_PREVIEW_BYTES = 1024;

// `fatal: true` makes invalid UTF-8 throw instead of turning into U+FFFD, which is how binary
// values are told from text. One shared instance: a non-streaming decode keeps no state.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text when they are valid UTF-8, else undefined. A leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Where to cut `bytes` so the first `maxBytes` or fewer end on a character boundary: a cut inside
 * a multi-byte character would make a valid text look invalid.
 */
export function utf8PrefixEnd(bytes: Uint8Array, maxBytes: number): number {
  if (bytes.length <= maxBytes) return bytes.length;
  let end = Math.max(0, maxBytes);
  // bytes[end] is the first byte left out. While it is a continuation byte (10xxxxxx) its
  // character began inside the prefix: leave that character out too. UTF-8 characters are at most
  // 4 bytes, so 3 steps back reach the lead byte of any valid text.
  for (let back = 0; back < 3 && end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80; back++) end--;
  return end;
}

/** The first `maxBytes` (or fewer, to end on a character boundary) as text, or undefined if not UTF-8. */
export function decodeUtf8Prefix(bytes: Uint8Array, maxBytes: number): string | undefined {
  const end = utf8PrefixEnd(bytes, maxBytes);
  return decodeUtf8(end === bytes.length ? bytes : bytes.subarray(0, end));
}

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** Lower-case hex of the first `maxBytes` bytes. */
export function hexPreview(bytes: Uint8Array, maxBytes: number): string {
  const end = Math.min(bytes.length, Math.max(0, maxBytes));
  let hex = "";
  for (let i = 0; i < end; i++) hex += HEX_PAIRS[bytes[i] ?? 0];
  return hex;
}

/** Size of `text` encoded as UTF-8, counted without encoding it. Lone surrogates count as U+FFFD (3 bytes), as TextEncoder writes them. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** The first byte that is not JSON whitespace (after a UTF-8 BOM), or -1 when there is none. */
export function firstSignificantByte(bytes: Uint8Array): number {
  let i = bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
  for (; i < bytes.length; i++) {
    const byte = bytes[i] ?? -1;
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  }
  return -1;
}

/**
 * Whether a value starting with this byte can be JSON at all: `{ [ "`, a digit, `-`, or the `t f n`
 * of true/false/null. Anything else is text without the cost of a JSON.parse that would throw.
 */
export function canStartJson(byte: number): boolean {
  return (
    byte === 0x7b || // {
    byte === 0x5b || // [
    byte === 0x22 || // "
    byte === 0x2d || // -
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x74 || // t
    byte === 0x66 || // f
    byte === 0x6e // n
  );
}

/**
 * Whether a value starting with this byte was meant to be JSON (`{ [ "`): when it then fails to
 * parse, that is worth a problem. Plain text starting with a digit or "n" is just text.
 */
export function meantAsJson(byte: number): boolean {
  return byte === 0x7b || byte === 0x5b || byte === 0x22;
}
