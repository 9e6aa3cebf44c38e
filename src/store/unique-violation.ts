import { ConflictError } from '../model/errors.js';

/**
 * Turns the driver's unique-key error for (workflow_id, idempotency_key) into a ConflictError the API
 * maps to 409; any other error passes through unchanged (wrapped if it is not an Error). SQLite
 * names the columns in its message, PostgreSQL names the index in `constraint`.
 */
export function mapIdempotencyConflict(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err), { cause: err });
  const e = err as { code?: unknown; message?: unknown; constraint?: unknown };
  const sqlite =
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes('executions.idempotency_key');
  const pg = e.code === '23505' && e.constraint === 'executions_idempotency_key';
  if (!sqlite && !pg) return err;
  const conflict = new ConflictError('an execution with this idempotency key already exists');
  conflict.cause = err;
  return conflict;
}

/** Any unique or primary-key violation, on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
