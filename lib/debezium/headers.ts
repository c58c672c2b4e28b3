import { MAX_HEX_PREVIEW_BYTES, decodeUtf8Prefix, hexPreview, utf8Length } from "./bytes";
import type { DecodeProblem, DecodedHeader, RawKafkaRecord } from "./types";

const NO_HEADERS: readonly DecodedHeader[] = Object.freeze([]);

/**
 * Headers in order, a repeated key once per value. Bytes that are valid UTF-8 become text (cut to
 * `previewBytes`), others a hex preview: tracing headers are text, but Kafka headers are bytes and
 * some producers put binary ids there.
 */
export function decodeHeaders(
  headers: RawKafkaRecord["headers"],
  previewBytes: number,
  problems: DecodeProblem[],
): readonly DecodedHeader[] {
  if (!headers) return NO_HEADERS;
  let decoded: DecodedHeader[] | undefined;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    const keyBytes = utf8Length(key);
    if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) (decoded ??= []).push(decodeHeader(key, keyBytes, item, previewBytes, problems));
    } else {
      (decoded ??= []).push(decodeHeader(key, keyBytes, value, previewBytes, problems));
    }
  }
  return decoded ?? NO_HEADERS;
}

function decodeHeader(key: string, keyBytes: number, value: unknown, previewBytes: number, problems: DecodeProblem[]): DecodedHeader {
  if (value === undefined || value === null) return { key, kind: "null", sizeBytes: keyBytes };
  if (typeof value === "string") {
    // A string header was decoded by the client already; only its length is bounded here.
    const truncated = value.length > previewBytes;
    return { key, kind: "text", text: truncated ? value.slice(0, previewBytes) : value, truncated, sizeBytes: keyBytes + utf8Length(value) };
  }
  if (value instanceof Uint8Array) {
    const sizeBytes = keyBytes + value.byteLength;
    const text = decodeUtf8Prefix(value, previewBytes);
    if (text !== undefined) return { key, kind: "text", text, truncated: value.byteLength > previewBytes, sizeBytes };
    const shown = Math.min(value.byteLength, previewBytes, MAX_HEX_PREVIEW_BYTES);
    return { key, kind: "binary", hex: hexPreview(value, shown), truncated: value.byteLength > shown, sizeBytes };
  }
  problems.push({ code: "invalid-header", detail: `header ${JSON.stringify(key.slice(0, 80))} holds a ${typeof value}, not bytes or text` });
  return { key, kind: "null", sizeBytes: keyBytes };
}
