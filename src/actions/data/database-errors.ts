import { ItwError, NonRetryableError, RetryableError } from '../../model/errors.js';
import type { DatabaseTarget } from './database-target.js';

interface DriverError {
  message?: string;
  code?: string;
  /** PostgreSQL error fields. */
  severity?: string;
  position?: string;
  /** mysql2 error fields. */
  errno?: number;
  sqlMessage?: string;
  sqlState?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'PROTOCOL_CONNECTION_LOST']);
// Serialization failure, deadlock, connection exceptions, admin shutdown: another attempt may succeed.
const RETRYABLE_SQLSTATE = /^(40001|40P01|08...|57P0.)$/;
// MySQL/MariaDB deadlock and lock wait timeout.
const RETRYABLE_ERRNO = new Set([1205, 1213]);
const AUTH_ERRNO = new Set([1044, 1045, 1698]);
const RETRYABLE_SQLITE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);

/**
 * One driver error as the step's error: `sql_error` carries the database's own message (what the
 * user needs to fix the statement), `database_unavailable` is retryable, bad credentials are not.
 */
export function databaseError(err: unknown, target: DatabaseTarget): ItwError {
  if (err instanceof ItwError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as DriverError;
  const message = e.sqlMessage ?? e.message ?? 'unknown database error';
  const where = target.label;
  // PostgreSQL's statement_timeout and mysql2's client-side timeout.
  if (e.code === '57014' || e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
    return new RetryableError('timeout', `${where}: query timed out`, { cause: err });
  }
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) {
    return new RetryableError('database_unavailable', `cannot reach ${where}: ${e.code}`, { cause: err, details: { cause_code: e.code } });
  }
  if (e.errno !== undefined && e.sqlMessage !== undefined) {
    const details = { errno: e.errno, sqlstate: e.sqlState };
    if (AUTH_ERRNO.has(e.errno)) return new NonRetryableError('database_auth_failed', `${where}: ${message}`, { details });
    if (RETRYABLE_ERRNO.has(e.errno)) return new RetryableError('sql_error', `${where}: ${message}`, { details });
    return new NonRetryableError('sql_error', `${where}: ${message}`, { details });
  }
  if (e.severity !== undefined && e.code !== undefined) {
    const details = { sqlstate: e.code, ...(e.position ? { position: Number(e.position) } : {}) };
    if (e.code.startsWith('28')) return new NonRetryableError('database_auth_failed', `${where}: ${message}`, { details });
    if (RETRYABLE_SQLSTATE.test(e.code)) return new RetryableError('sql_error', `${where}: ${message}`, { details });
    return new NonRetryableError('sql_error', `${where}: ${message}`, { details });
  }
  if (e.code?.startsWith('SQLITE_')) {
    const details = { sqlite_code: e.code };
    if (RETRYABLE_SQLITE.has(e.code)) return new RetryableError('sql_error', `${where}: ${message}`, { details });
    return new NonRetryableError('sql_error', `${where}: ${message}`, { details });
  }
  // Anything else from a driver (protocol errors, bad parameter types) will not fix itself.
  return new NonRetryableError('sql_error', `${where}: ${message}`, { cause: err });
}
