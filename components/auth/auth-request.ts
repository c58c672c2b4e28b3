import { authErrorSchema } from "@/lib/contracts/auth";

/** A refused sign-in or sign-out, with the server's message and, for 429, when to try again. */
export class AuthRequestError extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number | null;

  constructor(message: string, status: number, retryAfterSeconds: number | null) {
    super(message);
    this.name = "AuthRequestError";
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * POSTs JSON to an auth endpoint and returns the parsed body, or throws {@link AuthRequestError}
 * with the server's own message (which names what is wrong: wrong password, too many attempts…).
 */
export async function postAuthJson(path: string, body: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      cache: "no-store",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new AuthRequestError(`server unreachable (${error instanceof Error ? error.message : String(error)})`, 0, null);
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return json;
  const refusal = authErrorSchema.safeParse(json);
  const retryAfter = Number(response.headers.get("retry-after"));
  throw new AuthRequestError(
    refusal.success ? refusal.data.error : `POST ${path} answered ${response.status}`,
    response.status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
}
