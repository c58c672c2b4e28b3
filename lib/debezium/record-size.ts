import { utf8Length } from "./bytes";
import type { RawKafkaRecord } from "./types";

/**
 * A record's size as the decoder reports it (`sizeBytes`: key + value + header keys and values),
 * computed without decoding anything: the live tail tallies the bytes of every record, decoded or not.
 */
export function rawRecordSizeBytes(record: Pick<RawKafkaRecord, "key" | "value" | "headers">): number {
  let size = (record.key?.byteLength ?? 0) + (record.value?.byteLength ?? 0);
  const headers = record.headers;
  if (!headers) return size;
  // for…in, not Object.keys: no array per record (the tail sizes every record it reads).
  for (const key in headers) {
    if (!Object.hasOwn(headers, key)) continue;
    const value = headers[key];
    const keyBytes = utf8Length(key);
    if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) size += keyBytes + headerValueBytes(item);
    } else {
      size += keyBytes + headerValueBytes(value);
    }
  }
  return size;
}

function headerValueBytes(value: unknown): number {
  if (typeof value === "string") return utf8Length(value);
  if (value instanceof Uint8Array) return value.byteLength;
  return 0;
}
