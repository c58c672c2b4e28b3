import type { CellValue, JsonValue, Row, RowImageNotes } from "@/lib/debezium";

/**
 * The before → after comparison of an update, column by column. Works on the record as it crossed
 * the network: the decoder's markers (unavailable TOAST values, cells omitted from a preview) are
 * plain objects then, told apart from data by the image's notes.
 */

export type CellState =
  /** The image has no such column (or there is no image). */
  | { kind: "absent" }
  | { kind: "value"; value: JsonValue }
  /** Debezium's placeholder for an unchanged TOASTed value: PostgreSQL did not write it to the WAL. */
  | { kind: "unavailable" }
  /** Not kept in this preview of a large record (too long), or nested too deep to send. */
  | { kind: "omitted"; reason: "too-long" | "too-deep"; textLength: number | null };

export type FieldChange = "changed" | "unchanged" | "added" | "removed" | "unknown";

export interface DiffField {
  column: string;
  before: CellState;
  after: CellState;
  change: FieldChange;
  /** For a changed object or array: where inside it the two differ (`customer.id`, `items[0]`), at most MAX_CHANGED_PATHS. */
  changedPaths: string[];
}

/** Paths listed for one changed JSON column: enough to see what moved, not a full diff. */
export const MAX_CHANGED_PATHS = 12;

export function cellState(row: Row | null, notes: RowImageNotes | null, column: string): CellState {
  if (row === null || !Object.hasOwn(row, column)) return { kind: "absent" };
  const value: CellValue | undefined = row[column];
  if (notes?.unavailableColumns.includes(column)) return { kind: "unavailable" };
  if (notes?.omittedColumns.includes(column) && typeof value === "object" && value !== null && "omitted" in value) {
    const omitted = value as { omitted: "too-long" | "too-deep"; textLength?: number };
    return { kind: "omitted", reason: omitted.omitted, textLength: typeof omitted.textLength === "number" ? omitted.textLength : null };
  }
  return { kind: "value", value: (value ?? null) as JsonValue };
}

/** JSON text with object keys sorted: two values are equal exactly when their canonical texts are. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Where `a` and `b` differ, depth first, at most `limit` paths; "" is the value itself (different types or scalars). */
export function changedPaths(a: JsonValue, b: JsonValue, limit = MAX_CHANGED_PATHS): string[] {
  const paths: string[] = [];
  const walk = (left: JsonValue, right: JsonValue, path: string) => {
    if (paths.length >= limit) return;
    if (Array.isArray(left) && Array.isArray(right)) {
      const length = Math.max(left.length, right.length);
      for (let index = 0; index < length && paths.length < limit; index += 1) {
        if (index >= left.length || index >= right.length) paths.push(childPath(path, index));
        else walk(left[index]!, right[index]!, childPath(path, index));
      }
      return;
    }
    if (isObject(left) && isObject(right)) {
      const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
      for (const key of keys) {
        if (paths.length >= limit) return;
        if (!Object.hasOwn(left, key) || !Object.hasOwn(right, key)) paths.push(childPath(path, key));
        else walk(left[key]!, right[key]!, childPath(path, key));
      }
      return;
    }
    if (canonicalJson(left) !== canonicalJson(right)) paths.push(path);
  };
  walk(a, b, "");
  return paths;
}

function compare(before: CellState, after: CellState): { change: FieldChange; changedPaths: string[] } {
  if (before.kind === "absent" && after.kind === "absent") return { change: "unchanged", changedPaths: [] };
  if (before.kind === "absent") return { change: "added", changedPaths: [] };
  if (after.kind === "absent") return { change: "removed", changedPaths: [] };
  // PostgreSQL leaves a TOASTed value out of the WAL only when the update did not change it.
  if (after.kind === "unavailable") return { change: "unchanged", changedPaths: [] };
  if (before.kind !== "value" || after.kind !== "value") return { change: "unknown", changedPaths: [] };
  if (canonicalJson(before.value) === canonicalJson(after.value)) return { change: "unchanged", changedPaths: [] };
  const nested = (isObject(before.value) && isObject(after.value)) || (Array.isArray(before.value) && Array.isArray(after.value));
  return { change: "changed", changedPaths: nested ? changedPaths(before.value, after.value) : [] };
}

/** Every column of either image, in the `after` image's order (then those only `before` has). */
export function diffRows(before: Row | null, beforeNotes: RowImageNotes | null, after: Row | null, afterNotes: RowImageNotes | null): DiffField[] {
  const columns = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
  return columns.map((column) => {
    const beforeCell = cellState(before, beforeNotes, column);
    const afterCell = cellState(after, afterNotes, column);
    return { column, before: beforeCell, after: afterCell, ...compare(beforeCell, afterCell) };
  });
}

/** The columns an update changed, by name: for a summary line ("changed: status, processed_at"). */
export function changedColumns(fields: readonly DiffField[]): string[] {
  return fields.filter((field) => field.change === "changed" || field.change === "added" || field.change === "removed").map((field) => field.column);
}
