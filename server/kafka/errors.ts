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

/** KafkaJS marks each error `retriable`; errors from elsewhere (timeouts, our own) count as retriable. */
export function isRetriableKafkaError(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable !== false;
}
