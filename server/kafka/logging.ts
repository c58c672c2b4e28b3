import { createRequire } from "node:module";
import type { LogEntry, logCreator } from "kafkajs";
import { logLevel } from "./kafkajs";
import type { Logger } from "@/server/log";

// KafkaJS logs every failed connection attempt at ERROR. While a broker is down the health admin
// retries every poll, which would print the same line every two seconds; identical lines are
// therefore printed once per window, with a count of what was suppressed.
export const KAFKA_LOG_REPEAT_WINDOW_MS = 60_000;
// Bounds the memory of the de-duplication: distinct messages are few (one per broker and error).
export const KAFKA_LOG_DEDUPE_MAX_KEYS = 256;

/** KafkaJS levels we print: WARN and ERROR. INFO is chatty (every group join, every connect). */
export const KAFKA_LOG_LEVEL = logLevel.WARN;

/**
 * The messages of the broker's error codes that KafkaJS retries (its own table, `retriable: true`).
 * KafkaJS logs every error response at ERROR before it retries, so a broker that is still loading
 * a coordinator, or a metadata refresh racing a topic's deletion, printed ERROR lines for what
 * resolved itself a moment later. Those are printed as WARN; a retry that gives up fails its
 * caller, which reports it.
 */
const RETRIABLE_RESPONSE_ERRORS: ReadonlySet<string> = new Set(
  (createRequire(import.meta.url)("kafkajs/src/protocol/error.js") as { errorCodes: Array<{ message: string; retriable: boolean }> }).errorCodes
    .filter((code) => code.retriable)
    .map((code) => code.message),
);

interface SeenLine {
  firstAt: number;
  suppressed: number;
}

/**
 * A KafkaJS logCreator that forwards WARN and ERROR to our logger, without stack traces, and
 * prints a repeated line at most once per {@link KAFKA_LOG_REPEAT_WINDOW_MS}.
 */
export function createKafkaLogCreator(logger: Logger, now: () => number = Date.now): logCreator {
  const seen = new Map<string, SeenLine>();

  return () =>
    ({ namespace, level, log }: LogEntry) => {
      if (level > KAFKA_LOG_LEVEL || level === logLevel.NOTHING) return;
      const { message, broker, error } = log as { message?: string; broker?: string; error?: string };
      const text = [namespace && `${namespace}:`, message, broker && `(broker ${broker})`, error && error !== message && `— ${error}`]
        .filter(Boolean)
        .join(" ");

      const at = now();
      const previous = seen.get(text);
      if (previous && at - previous.firstAt < KAFKA_LOG_REPEAT_WINDOW_MS) {
        previous.suppressed += 1;
        return;
      }
      const suffix = previous && previous.suppressed > 0 ? ` (repeated ${previous.suppressed}× in the last ${KAFKA_LOG_REPEAT_WINDOW_MS / 1000} s)` : "";
      seen.delete(text);
      if (seen.size >= KAFKA_LOG_DEDUPE_MAX_KEYS) {
        // Maps iterate in insertion order: the first key is the oldest line.
        const oldest = seen.keys().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      seen.set(text, { firstAt: at, suppressed: 0 });

      const retried = level === logLevel.ERROR && message?.startsWith("Response ") === true && error !== undefined && RETRIABLE_RESPONSE_ERRORS.has(error);
      if (level === logLevel.ERROR && !retried) logger.error(text + suffix);
      else logger.warn(text + (retried ? " (KafkaJS retries it)" : "") + suffix);
    };
}
