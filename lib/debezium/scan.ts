import { decodeUtf8 } from "./bytes";
import type { ChangeOp } from "./types";

/**
 * A change event's op and event type read from its raw bytes without parsing it: the live tail
 * counts every record by op and event type, while a JSON.parse of every ~1 KB envelope (and of
 * its jsonb payload) costs more than the Kafka client's own work at catch-up rates.
 *
 * It relies on how Kafka Connect's JsonConverter writes a Debezium envelope: compact (no
 * whitespace), fields in schema order (before, after, source, transaction, op, ts_ms, ...), and
 * with schemas.enable=true the same envelope inside `"payload"`, after the schema. So:
 * - the envelope's own `"op":"…"` is the LAST one in the value: a row image column named "op"
 *   comes earlier (rows precede the op), and one inside a json/jsonb column arrives as an escaped
 *   string (`\"op\":`) that does not match;
 * - the envelope starts with its `before` field (`{"before":`, or `"payload":{"before":` after
 *   the schema), which tells it from application JSON that happens to carry an "op" field (a JSON
 *   Patch): as for the decoder, an envelope is an op plus a row image field. An envelope written
 *   with another field order is not recognized (its records count as "other");
 * - an insert's event type is the first `"<event type column>":"` of the envelope (its `before` is
 *   null); with a schema wrapper, the first after `"payload":{`, as the schema's own keys ("type",
 *   "name", "field", ...) could be the column's name too.
 */

/** What {@link scanChangeHeader} reads; `op` is "unknown" for an op the decoder does not know either (Debezium's "m" messages). */
export interface ChangeHeader {
  readonly op: ChangeOp | "unknown";
  /** The insert's (op "c") event type; undefined for other ops, or when not found within the scan bound. */
  readonly eventType: string | undefined;
}

/**
 * How far from the start of the envelope (the value, or with schemas.enable=true its `payload`) the
 * event type column is looked for. The `after` row starts at byte ~25 of the envelope; a row whose
 * event type column comes after a bigger payload column counts under "(unknown)" rather than
 * making every record a scan of its whole payload.
 */
export const EVENT_TYPE_SEARCH_BYTES = 16 * 1024;

/** Event types longer than this are not read (counted as unknown): they are labels, not payloads. */
export const MAX_EVENT_TYPE_BYTES = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const KNOWN_OPS: ReadonlySet<number> = new Set([..."cudrt"].map((op) => op.charCodeAt(0)));

const encoder = new TextEncoder();
const OP_KEY = encoder.encode('"op":"');
const ENVELOPE_START = encoder.encode('{"before":');
const SCHEMA_WRAPPER_START = encoder.encode('{"schema":');
const WRAPPED_ENVELOPE_START = encoder.encode('"payload":{"before":');

export type ChangeHeaderScanner = (value: Uint8Array | null) => ChangeHeader | null;

/**
 * A scanner for an outbox table whose event type column is `eventTypeColumn` (the decoder's
 * `columns.eventType`). The scanner returns null for a value that is not a change envelope by
 * these rules (and for a tombstone, which has no value); the caller counts those as "other".
 */
export function createChangeHeaderScanner(eventTypeColumn: string): ChangeHeaderScanner {
  const eventTypeKey = encoder.encode(`${JSON.stringify(eventTypeColumn)}:"`);
  const inserts = new InsertHeaders();
  return (value) => (value === null ? null : scan(value, eventTypeKey, inserts));
}

/** The headers of ops other than an insert: one object each, shared (nothing is read from the value). */
const OTHER_OP_HEADERS: Readonly<Record<ChangeOp | "unknown", ChangeHeader>> = Object.freeze({
  c: Object.freeze({ op: "c", eventType: undefined }),
  u: Object.freeze({ op: "u", eventType: undefined }),
  d: Object.freeze({ op: "d", eventType: undefined }),
  r: Object.freeze({ op: "r", eventType: undefined }),
  t: Object.freeze({ op: "t", eventType: undefined }),
  unknown: Object.freeze({ op: "unknown", eventType: undefined }),
});

/**
 * Event types remembered per scanner, so that the insert header of a type seen before is the same
 * object with the same string: scanning allocates nothing, and the string's hash is computed once
 * for every map it is counted in. Event types are a handful of labels; a table with more than
 * this many (ids written into the column, say) starts the memory afresh rather than growing.
 */
export const MAX_REMEMBERED_EVENT_TYPES = 1_024;

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

class InsertHeaders {
  /** By FNV-1a of the event type's bytes; a colliding type is read afresh each time. */
  readonly #byHash = new Map<number, { bytes: Uint8Array; header: ChangeHeader }>();

  /** The header of an insert whose event type is the plain ASCII bytes [start, end). */
  ascii(value: Uint8Array, start: number, end: number): ChangeHeader {
    let hash = FNV_OFFSET_BASIS;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ value[i]!, FNV_PRIME);
    const known = this.#byHash.get(hash);
    if (known !== undefined && sameBytes(known.bytes, value, start, end)) return known.header;
    let text = "";
    for (let i = start; i < end; i++) text += String.fromCharCode(value[i]!);
    const header: ChangeHeader = Object.freeze({ op: "c", eventType: text });
    if (known === undefined) {
      if (this.#byHash.size >= MAX_REMEMBERED_EVENT_TYPES) this.#byHash.clear();
      // A copy: the value is usually a view of a whole fetch response (megabytes), which a view
      // kept here would hold in memory for as long as the type is remembered.
      this.#byHash.set(hash, { bytes: Uint8Array.from(value.subarray(start, end)), header });
    }
    return header;
  }
}

function sameBytes(bytes: Uint8Array, value: Uint8Array, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== value[start + i]) return false;
  return true;
}

/** {@link createChangeHeaderScanner} for the default column name, `event_type`. */
export const scanChangeHeader: ChangeHeaderScanner = createChangeHeaderScanner("event_type");

function scan(value: Uint8Array, eventTypeKey: Uint8Array, inserts: InsertHeaders): ChangeHeader | null {
  // Where the envelope's `{"before":` starts: byte 0, or past the schema of a wrapped value.
  let envelopeStart = -1;
  if (startsWith(value, ENVELOPE_START)) envelopeStart = 0;
  else if (!startsWith(value, SCHEMA_WRAPPER_START)) return null;
  const at = lastIndexOfBytes(value, OP_KEY, value.length - OP_KEY.length, 0);
  if (at < 0) return null;
  const opStart = at + OP_KEY.length;
  const opEnd = indexOfByte(value, QUOTE, opStart, value.length);
  if (opEnd < 0) return null;
  if (envelopeStart < 0) {
    const payloadAt = indexOfBytes(value, WRAPPED_ENVELOPE_START, 0, at);
    if (payloadAt < 0) return null;
    envelopeStart = payloadAt + WRAPPED_ENVELOPE_START.length - ENVELOPE_START.length;
  }
  // A one-letter op we know; anything else (Debezium's "m", an escaped or longer string) is an
  // envelope with an unknown op, as the decoder sees it.
  const op = opEnd === opStart + 1 && KNOWN_OPS.has(value[opStart]!) ? (String.fromCharCode(value[opStart]!) as ChangeOp) : "unknown";
  if (op !== "c") return OTHER_OP_HEADERS[op];
  const keyAt = indexOfBytes(value, eventTypeKey, envelopeStart, Math.min(at, envelopeStart + EVENT_TYPE_SEARCH_BYTES));
  return keyAt < 0 ? OTHER_OP_HEADERS.c : readEventType(value, keyAt + eventTypeKey.length, inserts);
}

/** The insert header with the JSON string whose content starts at `start` (after its opening quote); no event type when over the bound or malformed. */
function readEventType(value: Uint8Array, start: number, inserts: InsertHeaders): ChangeHeader {
  const limit = Math.min(value.length, start + MAX_EVENT_TYPE_BYTES + 1);
  // The usual case: plain ASCII up to the closing quote.
  for (let i = start; i < limit; i++) {
    const byte = value[i]!;
    if (byte === QUOTE) return inserts.ascii(value, start, i);
    if (byte === BACKSLASH || byte >= 0x80) break;
  }
  const eventType = readString(value, start);
  return eventType === undefined ? OTHER_OP_HEADERS.c : { op: "c", eventType };
}

/**
 * The JSON string whose content starts at `start` (after its opening quote), or undefined when over
 * the bound or malformed: for strings with escapes or non-ASCII characters (plain ASCII is read by
 * {@link readEventType}).
 */
function readString(value: Uint8Array, start: number): string | undefined {
  const limit = Math.min(value.length, start + MAX_EVENT_TYPE_BYTES + 1);
  let escaped = false;
  for (let i = start; i < limit; i++) {
    const byte = value[i]!;
    if (byte === BACKSLASH) {
      escaped = true;
      i++;
    } else if (byte === QUOTE) {
      if (escaped) {
        // Rare: let JSON undo the escapes of this one short string.
        const text = decodeUtf8(value.subarray(start - 1, i + 1));
        try {
          return text === undefined ? undefined : (JSON.parse(text) as string);
        } catch {
          return undefined;
        }
      }
      return decodeUtf8(value.subarray(start, i));
    }
  }
  return undefined;
}

function startsWith(haystack: Uint8Array, prefix: Uint8Array): boolean {
  if (haystack.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (haystack[i] !== prefix[i]) return false;
  return true;
}

function indexOfByte(haystack: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (haystack[i] === byte) return i;
  return -1;
}

/** First index in [from, to − needle.length] where `needle` starts, or -1. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const first = needle[0]!;
  const last = Math.min(to, haystack.length) - needle.length;
  outer: for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Last index in [lowest, from] where `needle` starts, or -1. */
function lastIndexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number, lowest: number): number {
  const first = needle[0]!;
  outer: for (let i = Math.min(from, haystack.length - needle.length); i >= lowest; i--) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
