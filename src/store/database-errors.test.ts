import { describe, expect, it } from 'vitest';
import { asDatabaseError, databaseFault } from './database-errors.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('databaseFault: which store errors mean the database as a whole is gone or full', () => {
  it('PostgreSQL going away: SQLSTATE class 08, 57P01-57P03, refused connections (also inside AggregateError and causes), pg\'s own messages', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '53300', 'ECONNREFUSED', 'ECONNRESET']) expect(databaseFault(withCode(code)), code).toBe('unavailable');
    expect(databaseFault(new AggregateError([withCode('ECONNREFUSED')], 'connect failed'))).toBe('unavailable');
    expect(databaseFault(new Error('wrapped', { cause: withCode('57P01') }))).toBe('unavailable');
    expect(databaseFault(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(databaseFault(withCode('53100'))).toBe('full');
  });

  it('SQLite: SQLITE_FULL is full, I/O errors are unavailable', () => {
    expect(databaseFault(withCode('SQLITE_FULL', 'database or disk is full'))).toBe('full');
    expect(databaseFault(withCode('SQLITE_IOERR_WRITE'))).toBe('unavailable');
  });

  it('errors about the request itself are not outages', () => {
    for (const code of ['23505', '40001', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_BUSY']) expect(databaseFault(withCode(code)), code).toBeUndefined();
    expect(databaseFault(new Error('syntax error'))).toBeUndefined();
    expect(asDatabaseError(withCode('23505'))).toBeUndefined();
  });

  it('typed errors carry the stable code, retryable, and the cause\'s code in the message', () => {
    const down = asDatabaseError(withCode('57P01', 'terminating connection due to administrator command'))!;
    expect(down).toMatchObject({ code: 'database_unavailable', retryable: true });
    expect(down.message).toContain('(57P01)');
    expect(asDatabaseError(withCode('SQLITE_FULL'))).toMatchObject({ code: 'insufficient_storage', retryable: true });
  });

  it('names the reason of a lost pg connection, whose errors carry no code', () => {
    expect(asDatabaseError(new Error('Connection terminated unexpectedly'))?.message).toBe('the database is unavailable (connection terminated); try again shortly');
  });
});
