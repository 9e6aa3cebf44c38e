/**
 * The logging port: the subset of pino's API the code uses, so production passes the API server's
 * pino logger (with its redacting stream) and tests pass a silent or capturing one. Passed like any
 * other port, never imported as a module singleton.
 */
export interface LogFn {
  (msg: string): void;
  (obj: Record<string, unknown>, msg?: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger whose lines all carry `bindings` (`execution_id`, `node_id`, `component`...). */
  child(bindings: Record<string, unknown>): Logger;
}

const discard: LogFn = () => undefined;

/** Drops everything: the default where nobody asked for logs (unit tests, embedding). */
export const silentLogger: Logger = { debug: discard, info: discard, warn: discard, error: discard, child: () => silentLogger };
