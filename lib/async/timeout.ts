/** Raised by {@link withTimeout} when the operation did not settle in time. */
export class TimeoutError extends Error {
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number) {
    super(`${what} did not answer within ${timeoutMs} ms`);
    this.name = "TimeoutError";
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Settles with `operation` or rejects with a {@link TimeoutError} after `timeoutMs`, whichever is
 * first. The operation itself is not cancelled (a promise cannot be), so its late rejection is
 * swallowed here: left unobserved, it would surface as an unhandled rejection and, under Node's
 * default policy, kill the process.
 */
export function withTimeout<T>(operation: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, timeoutMs)), timeoutMs);
  });
  operation.catch(() => undefined);
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
