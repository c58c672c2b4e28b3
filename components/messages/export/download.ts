/**
 * Saves text as a file through a Blob URL. The URL is revoked a while later, not at once: a
 * browser may still be reading the Blob when click() returns.
 */
const REVOKE_AFTER_MS = 60_000;

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

export const JSON_LINES_TYPE = "application/x-ndjson";
export const CSV_TYPE = "text/csv;charset=utf-8";
export const JSON_TYPE = "application/json";
