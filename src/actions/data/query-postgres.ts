import type { QueryResult } from 'pg';
import type Cursor from 'pg-cursor';
import { jsonSafeRow } from './json-safe.js';
import type { DatabaseTarget } from './database-target.js';
import { CONNECT_TIMEOUT_MS, type QueryField, type QueryOutcome, type QueryRequest } from './query-types.js';

// Names for the common type OIDs (pg_type); others are reported as `oid:<n>`.
const TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bool', 17: 'bytea', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 114: 'json', 700: 'float4', 701: 'float8',
  1042: 'bpchar', 1043: 'varchar', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1700: 'numeric',
  2950: 'uuid', 3802: 'jsonb',
};

function read(cursor: Cursor<Record<string, unknown>>, n: number): Promise<{ rows: Record<string, unknown>[]; result: QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(n, (err, rows, result) => (err ? reject(err) : resolve({ rows, result })));
  });
}

/**
 * The URL with the egress-checked address in place of the host name, so a DNS answer cannot change
 * between the check and the connect. With TLS requested (sslmode other than disable) the name stays:
 * pg verifies the certificate against the host it dials, and a rebound name would not hold the
 * internal server's certificate anyway.
 */
function connectUrl(target: DatabaseTarget): string {
  const tls = target.options['sslmode'] !== undefined && target.options['sslmode'] !== 'disable';
  if (!target.address || target.address === target.host || tls || target.options['ssl'] !== undefined) return target.url;
  const url = new URL(target.url);
  url.hostname = target.address.includes(':') ? `[${target.address}]` : target.address;
  return url.href;
}

/**
 * One statement over a fresh connection, through a cursor so a huge result is never fetched past
 * `maxRows + 1`. The time budget is enforced by the server (statement_timeout → SQLSTATE 57014).
 */
export async function queryPostgres(target: DatabaseTarget, q: QueryRequest): Promise<QueryOutcome> {
  // pg and pg-cursor are loaded at the first PostgreSQL query, not at start: a SQLite instance
  // never needs them otherwise (issue 14, idle RSS).
  const [{ default: pg }, { default: Cursor }] = await Promise.all([import('pg'), import('pg-cursor')]);
  const client = new pg.Client({
    connectionString: connectUrl(target),
    connectionTimeoutMillis: Math.min(q.timeoutMs, CONNECT_TIMEOUT_MS),
    statement_timeout: q.timeoutMs,
    application_name: 'itechsmart-workflow',
  });
  // A dying connection is reported through the pending query; without a listener it would crash the process.
  client.on('error', () => undefined);
  const onAbort = () => void client.end();
  q.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const cursor = client.query(new Cursor<Record<string, unknown>>(q.sql, [...q.params]));
    const { rows, result } = await read(cursor, q.maxRows + 1);
    await cursor.close();
    const fields: QueryField[] = result.fields.map((f) => ({ name: f.name, type: TYPE_NAMES[f.dataTypeID] ?? `oid:${f.dataTypeID}` }));
    const isRowless = result.fields.length === 0 && result.command !== 'SELECT';
    return {
      rows: rows.slice(0, q.maxRows).map(jsonSafeRow),
      fields,
      truncated: rows.length > q.maxRows,
      ...(isRowless && result.rowCount !== null ? { affected_rows: result.rowCount } : {}),
    };
  } finally {
    q.signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}
