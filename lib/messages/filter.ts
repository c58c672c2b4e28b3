import type { JsonPathFilter, MessageFilter, MessageOp, TailFilter } from "@/lib/contracts/message-filter";
import { isOmittedCell, isUnavailableCell, type DecodedKey, type DecodedRecord, type RawKafkaRecord } from "@/lib/debezium";

/**
 * Structured message filters compiled into a predicate. A filter is data (names, values, a dotted
 * path), matched against the decoded record; nothing is evaluated as code.
 *
 * Matching is in two steps: `rawCheck` looks at the undecoded bytes and rejects records that
 * cannot match without decoding them (an exact value that does not occur in the bytes at all), and
 * `matches` decides on the decoded record. The raw check is only a shortcut: a record it passes
 * may still fail `matches`; a record it rejects would have failed it too.
 */

export interface CompiledFilter {
  /** False when the filter can tell from the bytes alone that the record does not match. */
  rawCheck: (record: RawKafkaRecord) => boolean;
  /** `raw` gives the free-text filter the bytes as received; without it, the decoded content is searched. */
  matches: (record: DecodedRecord, raw?: RawKafkaRecord) => boolean;
  /** Whether the filter narrows anything. */
  empty: boolean;
}

/** Free text is searched in at most this much of a value: a 20 MB value is not lower-cased per record. */
export const TEXT_SEARCH_MAX_BYTES = 1024 * 1024;

/** The op a filter sees: Debezium's op, `tombstone`, or `other` (not a change event, or an op Debezium may add later). */
export function recordOp(record: DecodedRecord): MessageOp {
  if (record.kind === "tombstone") return "tombstone";
  if (record.kind !== "change" || record.op === "unknown") return "other";
  return record.op;
}

/** The key as one line of text: JSON keys as their JSON text, binary keys as hex. */
export function keyText(key: DecodedKey): string | null {
  switch (key.kind) {
    case "null":
      return null;
    case "json":
      return JSON.stringify(key.value);
    case "text":
      return key.text;
    case "binary":
      return key.hex;
  }
}

/**
 * A filter value JSON writes as it is (printable ASCII but the quote and the backslash): when the
 * value is in the record, these bytes are too, so a record without them cannot match.
 */
function verbatimInJson(value: string): boolean {
  return /^[\x20-\x7e]+$/.test(value) && !/["\\]/.test(value);
}

function bytesInclude(bytes: Uint8Array | null, needle: Buffer): boolean {
  if (bytes === null) return false;
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.indexOf(needle) !== -1;
}

type PathSegment = string | number;

/** `payload.items[0].sku` → ["after", "payload", "items", 0, "sku"]; validated by the contract's pattern first. */
export function parseJsonPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[1]!);
  }
  if (segments[0] === "payload") segments.unshift("after");
  return segments;
}

/** The root a path starts from; undefined when the record has no such part. */
function pathRoot(record: DecodedRecord, root: PathSegment): unknown {
  if (root === "key") return record.key.kind === "json" ? record.key.value : undefined;
  if (record.kind === "change") {
    if (root === "after") return record.after ?? undefined;
    if (root === "before") return record.before ?? undefined;
    if (root === "source") return record.source ?? undefined;
    return undefined;
  }
  if (record.kind === "json" && root === "value") return record.value;
  return undefined;
}

/** The value at `segments`, or undefined. Markers (unavailable TOAST, omitted cells) count as absent. */
export function resolvePath(record: DecodedRecord, segments: readonly PathSegment[]): unknown {
  let value: unknown = pathRoot(record, segments[0]!);
  for (let i = 1; i < segments.length && value !== undefined; i++) {
    const segment = segments[i]!;
    if (value === null || typeof value !== "object") return undefined;
    if (isUnavailableCell(value) || isOmittedCell(value)) return undefined;
    if (typeof segment === "number") {
      value = Array.isArray(value) ? value[segment] : undefined;
    } else if (Array.isArray(value)) {
      return undefined;
    } else {
      value = Object.prototype.hasOwnProperty.call(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  if (value !== null && typeof value === "object" && (isUnavailableCell(value) || isOmittedCell(value))) return undefined;
  return value;
}

/** A resolved value as the text a filter compares: strings as they are, the rest as JSON. */
function valueText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function compilePath(filter: JsonPathFilter): { raw: Buffer | null; test: (record: DecodedRecord) => boolean } {
  const segments = parseJsonPath(filter.path);
  const wanted = filter.value ?? "";
  const lowered = wanted.toLowerCase();
  switch (filter.match) {
    case "exists":
      return { raw: null, test: (record) => { const value = resolvePath(record, segments); return value !== undefined && value !== null; } };
    case "equals":
      return {
        raw: verbatimInJson(wanted) ? Buffer.from(wanted) : null,
        test: (record) => {
          const value = resolvePath(record, segments);
          return value !== undefined && valueText(value) === wanted;
        },
      };
    case "contains":
      return {
        // Case-insensitive: only a value without letters appears verbatim whatever its case.
        raw: verbatimInJson(wanted) && !/[A-Za-z]/.test(wanted) ? Buffer.from(wanted) : null,
        test: (record) => {
          const value = resolvePath(record, segments);
          return value !== undefined && value !== null && valueText(value).toLowerCase().includes(lowered);
        },
      };
  }
}

function headerMatches(record: DecodedRecord, name: string, value: string): boolean {
  return record.headers.some((header) => header.key === name && header.kind === "text" && header.text === value);
}

function keyMatches(record: DecodedRecord, wanted: string): boolean {
  if (keyText(record.key) === wanted) return true;
  // A Debezium key is {"<pk>": value}: its single value is what people paste.
  const value = record.key.kind === "json" ? record.key.value : null;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.values(value).some((field) => (typeof field === "string" || typeof field === "number") && String(field) === wanted);
}

function rawText(bytes: Uint8Array | null): string {
  if (bytes === null) return "";
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString("utf8", 0, Math.min(buffer.length, TEXT_SEARCH_MAX_BYTES));
}

/** The decoded content as text, for free text without the raw bytes (the live tail). */
function decodedText(record: DecodedRecord): string {
  const parts: string[] = [keyText(record.key) ?? ""];
  for (const header of record.headers) parts.push(header.key, header.kind === "text" ? header.text : header.kind === "binary" ? header.hex : "");
  switch (record.kind) {
    case "change":
      parts.push(JSON.stringify(record.after ?? null), JSON.stringify(record.before ?? null));
      break;
    case "json":
      parts.push(record.value === undefined ? (record.preview ?? "") : JSON.stringify(record.value));
      break;
    case "text":
      parts.push(record.text);
      break;
    case "binary":
      parts.push(record.hex);
      break;
    case "tombstone":
      break;
  }
  return parts.join("\n");
}

function textMatches(record: DecodedRecord, raw: RawKafkaRecord | undefined, lowered: string): boolean {
  if (raw === undefined) return decodedText(record).toLowerCase().includes(lowered);
  if (rawText(raw.key).toLowerCase().includes(lowered)) return true;
  if (rawText(raw.value).toLowerCase().includes(lowered)) return true;
  return record.headers.some((header) => header.key.toLowerCase().includes(lowered) || (header.kind === "text" && header.text.toLowerCase().includes(lowered)));
}

/**
 * Free text written in ASCII, looked for in the bytes without decoding them: UTF-8 writes ASCII
 * as the same bytes, so a record whose key, value and headers do not hold it (ASCII letters in any
 * case) cannot match, and most records of a search are rejected before they are decoded.
 */
function asciiTextCheck(text: string): ((record: RawKafkaRecord) => boolean) | null {
  if (!/^[\x20-\x7e]+$/.test(text)) return null;
  const pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  const search = asciiCaseInsensitiveSearch(text);
  const holds = (bytes: Uint8Array | string | null | undefined): boolean => {
    if (bytes === null || bytes === undefined) return false;
    if (typeof bytes === "string") return pattern.test(bytes);
    return search(bytes, Math.min(bytes.length, TEXT_SEARCH_MAX_BYTES));
  };
  return (record) => {
    if (holds(record.key) || holds(record.value)) return true;
    const headers = record.headers ?? {};
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue;
      const value = headers[name];
      if (pattern.test(name)) return true;
      if (Array.isArray(value) ? value.some((item) => holds(item as Uint8Array | string)) : holds(value as Uint8Array | string | undefined)) return true;
    }
    return false;
  };
}

/** Each byte with ASCII upper case folded to lower case. */
const FOLD = Uint8Array.from({ length: 256 }, (_, byte) => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte));

/**
 * Whether the first `limit` bytes hold the ASCII text, ASCII letters in any case: a
 * Boyer–Moore–Horspool search over case-folded bytes. A case-insensitive RegExp does the same on
 * text, but each record's value would first be copied into a string (~1 KB of garbage a record, at
 * hundreds of thousands of records a second).
 */
export function asciiCaseInsensitiveSearch(text: string): (bytes: Uint8Array, limit: number) => boolean {
  const needle = Uint8Array.from(text, (char) => FOLD[char.charCodeAt(0)]!);
  const last = needle.length - 1;
  // How far the window may move when its last byte (folded) is b: past it when b is not in the
  // needle (before its last position), else to align b's last occurrence there.
  const skip = new Uint32Array(256).fill(needle.length);
  for (let i = 0; i < last; i++) {
    for (let byte = 0; byte < 256; byte++) if (FOLD[byte] === needle[i]) skip[byte] = last - i;
  }
  return (bytes, limit) => {
    let end = last;
    while (end < limit) {
      let j = last;
      while (j >= 0 && FOLD[bytes[end - last + j]!] === needle[j]) j--;
      if (j < 0) return true;
      end += skip[bytes[end]!]!;
    }
    return false;
  };
}

type Test = (record: DecodedRecord, raw?: RawKafkaRecord) => boolean;

/** Compiles a search or export filter. */
export function compileMessageFilter(filter: MessageFilter | TailFilter): CompiledFilter {
  const tests: Test[] = [];
  const rawTests: ((record: RawKafkaRecord) => boolean)[] = [];
  const valueNeedle = (text: string) => {
    if (verbatimInJson(text)) {
      const needle = Buffer.from(text);
      rawTests.push((record) => bytesInclude(record.value, needle));
    }
  };

  if (filter.op) {
    const ops = new Set(filter.op);
    tests.push((record) => ops.has(recordOp(record)));
  }
  if ("partition" in filter && filter.partition !== undefined) {
    const partition = filter.partition;
    rawTests.push((record) => record.partition === partition);
    tests.push((record) => record.partition === partition);
  }
  const outboxField = (text: string | undefined, read: (record: DecodedRecord) => string | undefined) => {
    if (text === undefined) return;
    valueNeedle(text);
    tests.push((record) => read(record) === text);
  };
  outboxField(filter.eventType, (record) => (record.kind === "change" ? record.outbox.eventType : undefined));
  outboxField(filter.aggregateType, (record) => (record.kind === "change" ? record.outbox.aggregateType : undefined));
  outboxField(filter.aggregateId, (record) => (record.kind === "change" ? record.outbox.aggregateId : undefined));

  if ("key" in filter && filter.key !== undefined) {
    const wanted = filter.key;
    if (verbatimInJson(wanted)) {
      const needle = Buffer.from(wanted);
      rawTests.push((record) => bytesInclude(record.key, needle));
    }
    tests.push((record) => keyMatches(record, wanted));
  }
  if ("header" in filter && filter.header !== undefined) {
    const { name, value } = filter.header;
    tests.push((record) => headerMatches(record, name, value));
  }
  if ("path" in filter && filter.path !== undefined) {
    const path = compilePath(filter.path);
    if (path.raw !== null) {
      const needle = path.raw;
      const inKey = filter.path.path.startsWith("key");
      rawTests.push((record) => bytesInclude(inKey ? record.key : record.value, needle));
    }
    tests.push(path.test);
  }
  if (filter.text !== undefined) {
    const lowered = filter.text.toLowerCase();
    const inBytes = asciiTextCheck(filter.text);
    if (inBytes) rawTests.push(inBytes);
    tests.push((record, raw) => textMatches(record, raw, lowered));
  }

  return {
    empty: tests.length === 0,
    rawCheck: (record) => rawTests.every((test) => test(record)),
    matches: (record, raw) => tests.every((test) => test(record, raw)),
  };
}
