/**
 * Masking of configured payload fields (MASK_FIELDS) for principals who may not read them.
 *
 * Pure: takes a decoded JSON value and returns a copy in which every property whose name is one of
 * the fields holds {@link MASKED_VALUE} instead, at any depth. Debezium delivers `jsonb` columns as
 * JSON *strings*, so a string that holds a JSON object or array is parsed, masked and serialised
 * again; a string that is not JSON is left as it is.
 */

/** What a masked field shows. A string, so every renderer can show it without special cases. */
export const MASKED_VALUE = "[masked]";

// Real payloads are a few levels deep. Past this depth we cannot afford to look for fields, so the
// whole subtree is masked rather than shown unchecked: failing closed is the point of masking.
export const MAX_MASK_DEPTH = 64;

// A string that looks like JSON (starts with { or [) and is longer than this is not parsed
// (parsing would cost the server megabytes per message) and is masked whole, for the same reason. Payloads this large are already
// hidden behind "load anyway" in the message view.
export const MAX_EMBEDDED_JSON_CHARS = 1024 * 1024;

/** Normalises a field list for {@link maskFields}: names are matched case-insensitively. */
export function maskFieldSet(fields: Iterable<string>): ReadonlySet<string> {
  const set = new Set<string>();
  for (const field of fields) {
    const name = field.trim().toLowerCase();
    if (name !== "") set.add(name);
  }
  return set;
}

/**
 * `value` with every property named in `fields` (case-insensitive) replaced by {@link MASKED_VALUE},
 * at any depth and inside JSON strings. The input is never modified; parts without masked fields
 * are returned as the same objects, and with no fields the value itself is returned.
 */
export function maskFields(value: unknown, fields: Iterable<string> | ReadonlySet<string>): unknown {
  const keys = fields instanceof Set ? (fields as ReadonlySet<string>) : maskFieldSet(fields);
  if (keys.size === 0) return value;
  return maskValue(value, keys, 0).value;
}

interface MaskResult {
  value: unknown;
  changed: boolean;
}

function unchanged(value: unknown): MaskResult {
  return { value, changed: false };
}

function maskValue(value: unknown, keys: ReadonlySet<string>, depth: number): MaskResult {
  if (typeof value === "string") return maskJsonString(value, keys, depth);
  if (value === null || typeof value !== "object") return unchanged(value);
  if (depth >= MAX_MASK_DEPTH) return { value: MASKED_VALUE, changed: true };

  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item: unknown) => {
      const masked = maskValue(item, keys, depth + 1);
      changed ||= masked.changed;
      return masked.value;
    });
    return changed ? { value: items, changed } : unchanged(value);
  }

  let changed = false;
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
    if (keys.has(key.toLowerCase())) {
      changed = true;
      return [key, MASKED_VALUE];
    }
    const masked = maskValue(item, keys, depth + 1);
    changed ||= masked.changed;
    return [key, masked.value];
  });
  // Object.fromEntries defines own properties, so a payload key "__proto__" stays a plain key
  // instead of replacing the copy's prototype, as an assignment would.
  return changed ? { value: Object.fromEntries(entries), changed } : unchanged(value);
}

function maskJsonString(text: string, keys: ReadonlySet<string>, depth: number): MaskResult {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return unchanged(text);
  if (text.length > MAX_EMBEDDED_JSON_CHARS) return { value: MASKED_VALUE, changed: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return unchanged(text);
  }
  if (parsed === null || typeof parsed !== "object") return unchanged(text);
  const masked = maskValue(parsed, keys, depth + 1);
  return masked.changed ? { value: JSON.stringify(masked.value), changed: true } : unchanged(text);
}
