/**
 * One CSV line (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled),
 * ending in CRLF. A field starting with = + - @ is prefixed with ' so a spreadsheet never runs it
 * as a formula (CSV injection); null and undefined are empty fields.
 */
export function toCsvRow(fields: readonly unknown[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
