import { MAX_JSON_DEPTH, nestsDeeperThan, parseJson, setOwnValue } from "./json";
import { MAX_CELL_CHARS_WHEN_TRUNCATED } from "./options";
import type { DecodeProblem, JsonbColumnNote, OmittedCell, Row, RowImageNotes, UnavailableCell } from "./types";

/** The one UnavailableCell: identity tells it from jsonb data that happens to read `{"unavailable": true}`. */
export const UNAVAILABLE_CELL: UnavailableCell = Object.freeze({ unavailable: true });

/** True only for the decoder's own marker, not for look-alike data; after JSON transport use the image notes. */
export function isUnavailableCell(value: unknown): value is UnavailableCell {
  return value === UNAVAILABLE_CELL;
}

const TOO_DEEP_CELL: OmittedCell = Object.freeze({ omitted: "too-deep" });

export function isOmittedCell(value: unknown): value is OmittedCell {
  return (
    typeof value === "object" &&
    value !== null &&
    ((value as { omitted?: unknown }).omitted === "too-long" || (value as { omitted?: unknown }).omitted === "too-deep")
  );
}

const NOTHING: readonly never[] = Object.freeze([]);
export const CLEAN_ROW_NOTES: RowImageNotes = Object.freeze({ unavailableColumns: NOTHING, jsonbColumns: NOTHING, omittedColumns: NOTHING });

export interface RowImageContext {
  readonly jsonbColumns: ReadonlySet<string>;
  readonly unavailableValuePlaceholder: string;
  /** The record is over previewBytes: keep small cells only (see MAX_CELL_CHARS_WHEN_TRUNCATED). */
  readonly truncated: boolean;
  readonly problems: DecodeProblem[];
}

/**
 * Rewrites a row image in place: the placeholder becomes UNAVAILABLE_CELL, jsonb strings become
 * their parsed value, and cells that must not be kept become OmittedCells. In place because the
 * row is the decoder's own fresh `JSON.parse` output: copying it would only cost time. One pass
 * over the columns; one JSON.parse per jsonb column, none for the others. `image` ("before" or
 * "after") names the image in problem details.
 */
export function normalizeRowImage(row: Row, image: string, context: RowImageContext): RowImageNotes {
  let unavailableColumns: string[] | undefined;
  let jsonbColumns: JsonbColumnNote[] | undefined;
  let omittedColumns: string[] | undefined;
  for (const column in row) {
    if (!Object.hasOwn(row, column)) continue;
    const value = row[column];
    if (typeof value === "string") {
      // The placeholder first: a TOASTed jsonb column arrives as the placeholder, which is not JSON.
      if (value === context.unavailableValuePlaceholder) {
        setOwnValue(row, column, UNAVAILABLE_CELL);
        (unavailableColumns ??= []).push(column);
        continue;
      }
      const tooLong = context.truncated && value.length > MAX_CELL_CHARS_WHEN_TRUNCATED;
      if (tooLong) {
        setOwnValue(row, column, { omitted: "too-long", textLength: value.length } satisfies OmittedCell);
        (omittedColumns ??= []).push(column);
      }
      if (context.jsonbColumns.has(column)) {
        const note = tooLong ? omittedNote(column, value.length) : parseJsonbCell(row, image, column, value, context);
        (jsonbColumns ??= []).push(note);
      }
    } else if (typeof value === "object" && value !== null && nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      // Debezium's own cells (arrays, structs) are shallow; this guards against producers that
      // only look like Debezium.
      setOwnValue(row, column, TOO_DEEP_CELL);
      (omittedColumns ??= []).push(column);
      context.problems.push({ code: "json-too-deep", detail: `${image}.${column} nests deeper than ${MAX_JSON_DEPTH} levels; omitted` });
    }
  }
  if (!unavailableColumns && !jsonbColumns && !omittedColumns) return CLEAN_ROW_NOTES;
  return {
    unavailableColumns: unavailableColumns ?? NOTHING,
    jsonbColumns: jsonbColumns ?? NOTHING,
    omittedColumns: omittedColumns ?? NOTHING,
  };
}

function omittedNote(column: string, textLength: number): JsonbColumnNote {
  return { column, textLength, status: "omitted" };
}

function parseJsonbCell(row: Row, image: string, column: string, text: string, context: RowImageContext): JsonbColumnNote {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    context.problems.push(
      parsed.tooDeep
        ? { code: "json-too-deep", detail: `${image}.${column} nests too deep to parse; kept as text` }
        : { code: "invalid-jsonb", detail: `${image}.${column} is not valid JSON (${parsed.message}); kept as text` },
    );
    return { column, textLength: text.length, status: parsed.tooDeep ? "too-deep" : "invalid" };
  }
  if (nestsDeeperThan(parsed.value, MAX_JSON_DEPTH)) {
    context.problems.push({ code: "json-too-deep", detail: `${image}.${column} nests deeper than ${MAX_JSON_DEPTH} levels; kept as text` });
    return { column, textLength: text.length, status: "too-deep" };
  }
  setOwnValue(row, column, parsed.value);
  return { column, textLength: text.length, status: "parsed" };
}
