import { z } from "zod";
import { describeZodError } from "@/lib/errors/zod";

/**
 * JSON requests of the outbox, event and audit pages. Every answer is parsed with the contract's
 * schema; a refusal throws {@link ApiError} with the server's own `{error}` message (which names
 * the field of a 422, or why a 403 or 502), so the page can show it as it is worded.
 */

/** Body of every refused request. */
const refusalSchema = z.object({ error: z.string() });

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The parsed JSON body of the refusal, for statuses that carry more than a message (409). */
  readonly body: unknown;

  constructor(message: string, status: number, body: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

async function send(method: "GET" | "POST", path: string, init: { body?: unknown; signal?: AbortSignal }): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      cache: "no-store",
      signal: init.signal,
      headers: init.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    // Browsers say only "Failed to fetch"; what the operator needs to know is where it failed.
    throw new ApiError(`server unreachable (${error instanceof Error ? error.message : String(error)})`, 0, null);
  }
}

function refusal(method: string, path: string, response: Response, body: unknown): ApiError {
  const parsed = refusalSchema.safeParse(body);
  return new ApiError(parsed.success ? parsed.data.error : `${method} ${path} answered ${response.status}`, response.status, body);
}

function parseAnswer<T>(method: string, path: string, schema: z.ZodType<T>, body: unknown, status: number): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new ApiError(`${method} ${path} answered an unexpected body (${describeZodError(parsed.error)})`, status, body);
}

/** GET a JSON resource and parse it with `schema`. */
export async function getJson<T>(path: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  const response = await send("GET", path, { signal });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw refusal("GET", path, response, body);
  return parseAnswer("GET", path, schema, body, response.status);
}

/** POST JSON and parse the answer with `schema`; the status comes back too (200 finished, 202 still running). */
export async function postJson<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<{ status: number; data: T }> {
  const response = await send("POST", path, { body });
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) throw refusal("POST", path, response, answer);
  return { status: response.status, data: parseAnswer("POST", path, schema, answer, response.status) };
}

/** Failures that a second try can fix: the server unreachable or overloaded; never a 4xx. */
export function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}

/** React Query `retry` for one-off reads: twice for transient failures, never for a refusal. */
export function retryTransient(failureCount: number, error: Error): boolean {
  return failureCount < 2 && isTransient(error);
}
