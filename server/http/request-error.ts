/**
 * A refusal of a request with the HTTP status that says what to do (404 missing, 409 conflict, 429
 * busy, 503 a dependency down) and a message naming what is wrong.
 *
 * Next bundles route handlers apart from the modules the custom server loads, so the runtime's
 * services throw instances of another copy of this class than the one a route imports:
 * `instanceof` fails across the two. A registered symbol is the same in both.
 */
const REQUEST_ERROR = Symbol.for("outbox-lens.RequestError");

export class RequestError extends Error {
  readonly [REQUEST_ERROR] = true;

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

/** Whether `error` is a {@link RequestError} of any copy of this module. */
export function isRequestError(error: unknown): error is RequestError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[REQUEST_ERROR] === true;
}
