import type { ErrorCode } from './error-codes.js';
import type { Problem } from './problems.js';

export interface ErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** Extra JSON-safe facts (HTTP status, exit code...) kept in the node execution's error record. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Every error we raise on purpose. `code` is stable (API maps it to HTTP status in one place);
 * `retryable` tells the engine whether a node retry policy may try again.
 */
export class ItwError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  /** `code`: one the API maps to a status (model/error-codes.ts); step errors use the subclasses below. */
  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** A failure worth another attempt (network blip, 5xx, timeout). */
export class RetryableError extends ItwError {
  /** Minimum wait the remote side asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;
  constructor(code: string, message: string, options: ErrorOptions & { retryAfterMs?: number } = {}) {
    // Step codes are open-ended (vendor prefixes by status): an unlisted one reaching the API answers 500.
    super(code as ErrorCode, message, { ...options, retryable: true });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A failure that the same attempt would repeat (bad config, 4xx, expression error). */
export class NonRetryableError extends ItwError {
  constructor(code: string, message: string, options: Omit<ErrorOptions, 'retryable'> = {}) {
    super(code as ErrorCode, message, { ...options, retryable: false });
  }
}

export class StepTimeoutError extends RetryableError {
  constructor(seconds: number) {
    super('timeout', `timed out after ${seconds}s`);
  }
}

export class ExpressionError extends NonRetryableError {
  constructor(message: string, options: Omit<ErrorOptions, 'retryable'> = {}) {
    super('expression_error', message, options);
  }
}

export class DefinitionInvalidError extends ItwError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super('definition_invalid', `workflow definition has ${problems.length} problem(s)`);
    this.problems = problems;
  }
}

export class NotFoundError extends ItwError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} not found`, { details: { what, id } });
  }
}

export class ConflictError extends ItwError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details ? { details } : {});
  }
}

/** JSON-safe record of an error as stored on a node execution or execution. */
export interface ErrorRecord {
  readonly message: string;
  readonly code: string;
  readonly retryable?: boolean;
  readonly node_id?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function toErrorRecord(err: unknown, nodeId?: string): ErrorRecord {
  const base =
    err instanceof ItwError
      ? { message: err.message, code: err.code, retryable: err.retryable, ...(err.details ? { details: err.details } : {}) }
      : err instanceof Error
        ? { message: err.message, code: 'internal_error', retryable: true }
        : { message: String(err), code: 'internal_error', retryable: true };
  return nodeId === undefined ? base : { ...base, node_id: nodeId };
}
