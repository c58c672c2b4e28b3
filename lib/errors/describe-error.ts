/** Longest error text we put in a report or a log line; longer texts are cut, not dropped. */
export const MAX_ERROR_MESSAGE_CHARS = 500;

/**
 * One readable line for any thrown value, without a stack trace: what reports and API responses
 * carry. Node's `AggregateError` (e.g. "localhost" resolving to ::1 and 127.0.0.1, both refusing)
 * has an empty message, so its inner errors are used instead; `fetch` hides the network cause
 * behind "fetch failed", so the cause is appended.
 */
export function describeError(error: unknown): string {
  return truncate(describe(error, 0), MAX_ERROR_MESSAGE_CHARS);
}

/** Guards against cyclic `cause` chains. */
const MAX_CAUSE_DEPTH = 4;

function describe(error: unknown, depth: number): string {
  if (depth > MAX_CAUSE_DEPTH) return "";
  if (error instanceof AggregateError && error.errors.length > 0) {
    const inner = [...new Set(error.errors.map((e: unknown) => describe(e, depth + 1)).filter(Boolean))];
    return error.message ? `${error.message}: ${inner.join("; ")}` : inner.join("; ");
  }
  if (error instanceof Error) {
    const message = error.message || error.name;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== error) {
      const causeText = describe(cause, depth + 1);
      if (causeText && !message.includes(causeText)) return `${message}: ${causeText}`;
    }
    return message;
  }
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

/** First line of a (Java) stack trace: the exception and its message, which is what operators read first. */
export function firstLine(text: string): string {
  return text.split("\n", 1)[0]?.trim() ?? "";
}
