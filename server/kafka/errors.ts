import { describeError } from "@/lib/errors/describe-error";

/**
 * KafkaJS wraps the error that matters: KafkaJSNumberOfRetriesExceeded and KafkaJSNonRetriableError
 * carry it as `originalError` (and `cause`), so their own message is often a repeat or a generic
 * "Connection error". Operators need the innermost reason, e.g. "connect ECONNREFUSED 127.0.0.1:9092".
 */
export function describeKafkaError(error: unknown): string {
  return describeError(innermostKafkaError(error));
}

/** Guards against cyclic `originalError` chains. */
const MAX_WRAP_DEPTH = 5;

export function innermostKafkaError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < MAX_WRAP_DEPTH; depth++) {
    const inner = (current as { originalError?: unknown } | null)?.originalError;
    if (!inner || inner === current) break;
    current = inner;
  }
  return current;
}

/** Whether the error, or one it wraps (`originalError` or `cause`), satisfies `test`. */
function anyWrapped(error: unknown, test: (error: { type?: unknown; name?: unknown }) => boolean): boolean {
  let current = error;
  for (let depth = 0; depth < MAX_WRAP_DEPTH && current; depth++) {
    const wrapped = current as { type?: unknown; name?: unknown; originalError?: unknown; cause?: unknown };
    if (test(wrapped)) return true;
    current = wrapped.originalError ?? wrapped.cause;
  }
  return false;
}

/** Whether the error, or one it wraps (`originalError` or `cause`), is a Kafka protocol error of one of `types` (e.g. NOT_COORDINATOR_FOR_GROUP). */
export function hasKafkaErrorType(error: unknown, types: ReadonlySet<string>): boolean {
  return anyWrapped(error, ({ type }) => typeof type === "string" && types.has(type));
}

/** KafkaJS marks each error `retriable`; errors from elsewhere (timeouts, our own) count as retriable. */
export function isRetriableKafkaError(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable !== false;
}

/** KafkaJS's names for a socket that failed or was closed under a request (not a broker's answer). */
const CONNECTION_ERROR_NAMES = new Set(["KafkaJSConnectionError", "KafkaJSConnectionClosedError"]);

/**
 * Whether the error, or one it wraps, is a lost connection: what a request on a connection kept
 * from before a broker restarted ends with. A fresh connection may well succeed.
 */
export function isConnectionLost(error: unknown): boolean {
  return anyWrapped(error, ({ name }) => typeof name === "string" && CONNECTION_ERROR_NAMES.has(name));
}
