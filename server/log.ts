/**
 * Line-oriented logging for the server process: `2025-01-01T00:00:00.000Z WARN  [kafka] message`.
 * Deliberately small; a structured logger can replace it behind this interface.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(scope: string): Logger;
}

export function createLogger(scope: string): Logger {
  const write = (level: "INFO" | "WARN" | "ERROR", message: string) => {
    const line = `${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${message}`;
    if (level === "INFO") console.log(line);
    else console.error(line);
  };
  return {
    info: (message) => write("INFO", message),
    warn: (message) => write("WARN", message),
    error: (message) => write("ERROR", message),
    child: (child) => createLogger(`${scope}:${child}`),
  };
}

/** A logger that drops everything: for tests and benches whose output would only be noise. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silentLogger };
