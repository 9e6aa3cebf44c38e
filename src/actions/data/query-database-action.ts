import { Type } from '@sinclair/typebox';
import { defineAction } from '../define-action.js';
import { CODE_HINTS } from '../code-hints.js';
import { ItwError } from '../../model/errors.js';
import { databaseError } from './database-errors.js';
import { databaseParams, describeDatabase, resolveDatabase, type DatabaseTarget } from './database-target.js';
import { queryMysql } from './query-mysql.js';
import { queryPostgres } from './query-postgres.js';
import { querySqlite } from './query-sqlite.js';
import type { QueryOutcome, QueryRequest } from './query-types.js';

const DEFAULTS = { max_rows: 1000, timeout_seconds: 30 } as const;

const QueryDatabaseParams = Type.Object(
  {
    ...databaseParams,
    sql: Type.String({ minLength: 1, description: 'One statement; placeholders $1… (PostgreSQL) or ? (MySQL/MariaDB, SQLite)' }),
    params: Type.Optional(Type.Array(Type.Unknown(), { description: 'Bound by the driver, never spliced into the SQL' })),
    max_rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: DEFAULTS.max_rows })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 1, maximum: 3600, default: DEFAULTS.timeout_seconds })),
  },
  { additionalProperties: false },
);

const QueryDatabaseOutput = Type.Object({
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  row_count: Type.Integer({ description: 'Rows returned (at most max_rows)' }),
  truncated: Type.Boolean({ description: 'The statement had more rows than max_rows' }),
  fields: Type.Array(Type.Object({ name: Type.String(), type: Type.Union([Type.String(), Type.Null()]) })),
  affected_rows: Type.Optional(Type.Integer({ description: 'Rows changed by INSERT/UPDATE/DELETE' })),
});

function runQuery(target: DatabaseTarget, q: QueryRequest): Promise<QueryOutcome> {
  switch (target.engine) {
    case 'postgres':
      return queryPostgres(target, q);
    case 'mysql':
      return queryMysql(target, q);
    case 'sqlite':
      return querySqlite(target, q);
    default: {
      const never: never = target.engine;
      throw new Error(`unknown engine ${String(never)}`);
    }
  }
}

export const queryDatabaseAction = defineAction({
  id: 'query_database',
  category: 'data',
  name: 'Query Database',
  description: 'Runs one SQL statement with bound parameters on PostgreSQL, MySQL/MariaDB or SQLite and returns the rows.',
  params: QueryDatabaseParams,
  codeParams: { sql: CODE_HINTS.sql },
  output: QueryDatabaseOutput,
  async run(ctx) {
    const p = ctx.params;
    const target = await resolveDatabase(ctx.credentials, ctx.services, p);
    const maxRows = p.max_rows ?? DEFAULTS.max_rows;
    let out: QueryOutcome;
    try {
      out = await runQuery(target, { sql: p.sql, params: p.params ?? [], maxRows, timeoutMs: (p.timeout_seconds ?? DEFAULTS.timeout_seconds) * 1000, signal: ctx.signal });
    } catch (err) {
      if (ctx.signal.aborted) throw new ItwError('cancelled', `query on ${target.label} cancelled`, { cause: err });
      throw databaseError(err, target);
    }
    ctx.log.log('info', `query on ${target.label} → ${out.rows.length} row(s)${out.truncated ? ' (truncated)' : ''}`, { row_count: out.rows.length });
    return { rows: out.rows, row_count: out.rows.length, truncated: out.truncated, fields: out.fields, ...(out.affected_rows !== undefined ? { affected_rows: out.affected_rows } : {}) };
  },
  plan(ctx) {
    const sql = ctx.params.sql.replace(/\s+/g, ' ').trim();
    return `query ${describeDatabase(ctx.params)}: ${sql.length > 120 ? `${sql.slice(0, 117)}...` : sql}`;
  },
});
