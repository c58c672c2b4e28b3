/** A value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Deepest nesting of arrays/objects a decoded record may carry. V8's `JSON.parse` accepts millions
 * of levels, but `JSON.stringify` (which socket.io uses to send a record to the browser) and any
 * recursive renderer overflow the stack at a few thousand: Node 20's `JSON.stringify` throws
 * "Maximum call stack size exceeded" at 5,000 levels. Real outbox payloads nest a handful of levels;
 * 256 leaves ample room for them and a wide margin below the crash.
 */
export const MAX_JSON_DEPTH = 256;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` nests more than `limit` arrays/objects deep. The recursion itself is bounded by
 * `limit`, so a hostile value cannot overflow the stack here.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (nestsDeeperThan(value[i], limit - 1)) return true;
    return false;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) if (nestsDeeperThan(object[key], limit - 1)) return true;
  return false;
}

/**
 * The value of an own property, or undefined. Column names come from users' tables and from
 * configuration: a plain `row[name]` would answer `Object.prototype` members for "__proto__",
 * "constructor" or "toString".
 */
export function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** Sets an own property, also for the key "__proto__", where assignment would replace the prototype. */
export function setOwnValue(object: object, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (object as Record<string, unknown>)[key] = value;
  }
}

export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly tooDeep: boolean; readonly message: string };

/**
 * `JSON.parse` that never throws. Engines other than V8 throw on deep nesting (Firefox an
 * InternalError "too much recursion", Safari a RangeError); those are told apart from syntax errors.
 */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, tooDeep: name === "RangeError" || name === "InternalError", message: message.slice(0, 200) };
  }
}
