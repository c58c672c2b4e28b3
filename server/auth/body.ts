import { z } from "zod";

/**
 * JSON request bodies for route handlers: size-capped, parsed, and validated strictly against a
 * zod schema, with failures as statuses and messages a client can act on.
 *
 * Strict means an unknown field is an error (422 naming it), not silently dropped: a client that
 * sends `{"evntIds": […]}` must hear about its typo, not have the server act on an empty default.
 */

// Every request body of the dashboard is a small JSON object (credentials, a list of event ids).
// Reading stops at this size, so a client cannot make the server buffer megabytes per request.
export const MAX_JSON_BODY_BYTES = 64 * 1024;

// Enough to fix a request in one round; beyond this a message would stop being readable.
const MAX_REPORTED_ISSUES = 10;

export type BodyResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 413 | 422; message: string };

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`)).join("");
}

/** One line per issue: `unknown field "x"`, `field "ids[2]": must be a UUID`, … */
export function describeBodyIssues(error: z.ZodError): string {
  const lines: string[] = [];
  for (const issue of error.issues.slice(0, MAX_REPORTED_ISSUES)) {
    const where = fieldPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      const names = issue.keys.map((key) => JSON.stringify(where ? `${where}.${key}` : key));
      lines.push(`unknown field${names.length === 1 ? "" : "s"} ${names.join(", ")}`);
    } else {
      lines.push(where ? `field "${where}": ${issue.message}` : issue.message);
    }
  }
  const more = error.issues.length - MAX_REPORTED_ISSUES;
  if (more > 0) lines.push(`and ${more} more`);
  return lines.join("; ");
}

/** The body as text, or the reason it cannot be read; never holds more than `maxBytes`. */
async function readText(request: Request, maxBytes: number): Promise<{ ok: true; text: string } | { ok: false; status: 400 | 413; message: string }> {
  const tooLarge = { ok: false, status: 413, message: `request body too large: at most ${maxBytes} bytes are accepted` } as const;
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  if (!request.body) return { ok: true, text: "" };

  // Content-Length can be absent (chunked) or wrong, so the stream is counted as it is read.
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge;
    }
    chunks.push(value);
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, status: 400, message: "request body is not valid UTF-8" };
  }
}

/**
 * Reads the request's JSON body and validates it with `schema`. An object schema is made strict
 * here at its top level; nested objects should be `z.strictObject` in the schema itself.
 *
 * 413 when the body exceeds `maxBytes`, 400 when it is not JSON, 422 when it does not match
 * (naming each unknown field and each invalid field with its problem).
 */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes: number = MAX_JSON_BODY_BYTES): Promise<BodyResult<T>> {
  const read = await readText(request, maxBytes);
  if (!read.ok) return read;
  if (read.text.trim() === "") return { ok: false, status: 400, message: "request body is empty: send a JSON object" };

  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    return { ok: false, status: 400, message: `request body is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }

  const strict = (schema instanceof z.ZodObject ? schema.strict() : schema) as z.ZodType<T>;
  const parsed = strict.safeParse(json);
  if (!parsed.success) return { ok: false, status: 422, message: `invalid request body: ${describeBodyIssues(parsed.error)}` };
  return { ok: true, value: parsed.data };
}
