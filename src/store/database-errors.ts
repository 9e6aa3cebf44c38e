import { ItwError } from '../model/errors.js';

/** What a store error says about the database as a whole. */
export const DatabaseFault = { unavailable: 'unavailable', full: 'full' } as const;
export type DatabaseFault = (typeof DatabaseFault)[keyof typeof DatabaseFault];

/** The database does not answer (restart, failover, network): try again shortly. */
export class DatabaseUnavailableError extends ItwError {
  constructor(cause: unknown) {
    super('database_unavailable', `the database is unavailable${reasonOf(cause)}; try again shortly`, { retryable: true, cause });
  }
}

/** The database cannot write: its disk (or quota) is full. */
export class InsufficientStorageError extends ItwError {
  constructor(cause: unknown) {
    super('insufficient_storage', `the database has no space left to write${reasonOf(cause)}; try again once an operator frees some`, { retryable: true, cause });
  }
}

/** The cause named in the message /health and the API answer (a code, never a stack or a query). */
function reasonOf(cause: unknown): string {
  if (typeof cause === 'string') return ` (${cause})`;
  const code = cause !== null && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  if (typeof code === 'string') return ` (${code})`;
  // pg's own connection-lost errors carry no code: their fixed first words are the reason.
  const gone = cause instanceof Error ? PG_GONE.exec(cause.message) : null;
  return gone ? ` (${gone[1]!.toLowerCase()})` : '';
}

// Node socket errors of pg connections (and of its connect attempts).
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot
// connect now), 53300 (too many connections); 53100 disk_full; 53200 out of memory.
const PG_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
const PG_FULL = new Set(['53100']);
// pg's own errors when the server went away mid-query carry no code, only these messages.
const PG_GONE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection terminated unexpectedly)/;

/**
 * Sorts an error thrown by a store call into a database-wide fault (its cause chain and
 * AggregateError members included), or undefined for errors about the request itself.
 */
export function databaseFault(err: unknown, depth = 0): DatabaseFault | undefined {
  if (depth > 5 || err === null || typeof err !== 'object') return undefined;
  if (err instanceof DatabaseUnavailableError) return 'unavailable';
  if (err instanceof InsufficientStorageError) return 'full';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL' || PG_FULL.has(code)) return 'full';
    if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || SOCKET_CODES.has(code) || PG_UNAVAILABLE.test(code)) return 'unavailable';
  }
  if (err instanceof Error && PG_GONE.test(err.message)) return 'unavailable';
  for (const inner of err instanceof AggregateError ? err.errors : []) {
    const f = databaseFault(inner, depth + 1);
    if (f) return f;
  }
  return databaseFault((err as { cause?: unknown }).cause, depth + 1);
}

/** The typed error for a database-wide fault, or undefined when `err` is not one. */
export function asDatabaseError(err: unknown): DatabaseUnavailableError | InsufficientStorageError | undefined {
  if (err instanceof DatabaseUnavailableError || err instanceof InsufficientStorageError) return err;
  const fault = databaseFault(err);
  if (fault === 'unavailable') return new DatabaseUnavailableError(err);
  if (fault === 'full') return new InsufficientStorageError(err);
  return undefined;
}
