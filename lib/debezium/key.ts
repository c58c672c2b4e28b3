import { MAX_HEX_PREVIEW_BYTES, canStartJson, decodeUtf8, decodeUtf8Prefix, firstSignificantByte, hexPreview } from "./bytes";
import { MAX_JSON_DEPTH, isJsonObject, nestsDeeperThan, ownValue, parseJson, type JsonValue } from "./json";
import { unwrapSchema } from "./envelope";
import type { DecodeProblem, DecodedKey } from "./types";

const NULL_KEY: DecodedKey = Object.freeze({ kind: "null", sizeBytes: 0 });

/**
 * A record key: JSON when it parses (a `{schema, payload}` key unwrapped to its payload), else
 * UTF-8 text, else a hex preview. Keys longer than `previewBytes` are not parsed: Debezium keys are
 * primary keys, tens of bytes, so a longer one is shown, not interpreted.
 */
export function decodeKey(bytes: Uint8Array | null | undefined, previewBytes: number, problems: DecodeProblem[]): DecodedKey {
  if (bytes === null || bytes === undefined) return NULL_KEY;
  const sizeBytes = bytes.byteLength;
  const truncated = sizeBytes > previewBytes;
  if (!truncated && canStartJson(firstSignificantByte(bytes))) {
    const text = decodeUtf8(bytes);
    if (text === undefined) return binaryKey(bytes, previewBytes);
    const parsed = parseJson(text);
    if (parsed.ok) {
      const { payload, schema } = unwrapSchema(parsed.value);
      if (!nestsDeeperThan(payload, MAX_JSON_DEPTH)) {
        return { kind: "json", value: payload as JsonValue, schemaWrapped: schema !== undefined, sizeBytes };
      }
      problems.push({ code: "json-too-deep", detail: `key nests deeper than ${MAX_JSON_DEPTH} levels; kept as text` });
    } else if (parsed.tooDeep) {
      problems.push({ code: "json-too-deep", detail: "key nests too deep to parse; kept as text" });
    }
    return { kind: "text", text, truncated: false, sizeBytes };
  }
  const text = decodeUtf8Prefix(bytes, previewBytes);
  if (text === undefined) return binaryKey(bytes, previewBytes);
  return { kind: "text", text, truncated, sizeBytes };
}

function binaryKey(bytes: Uint8Array, previewBytes: number): DecodedKey {
  const shown = Math.min(bytes.byteLength, previewBytes, MAX_HEX_PREVIEW_BYTES);
  return { kind: "binary", hex: hexPreview(bytes, shown), truncated: bytes.byteLength > shown, sizeBytes: bytes.byteLength };
}

/** A field of a JSON object key (Debezium keys are `{"<pk column>": value}`), as text. */
export function keyField(key: DecodedKey, column: string): string | undefined {
  if (key.kind !== "json" || !isJsonObject(key.value)) return undefined;
  const value = ownValue(key.value, column);
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
