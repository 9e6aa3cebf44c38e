import type { FieldPacket, ResultSetHeader } from 'mysql2';
import { jsonSafeRow } from './json-safe.js';
import type { DatabaseTarget } from './database-target.js';
import { CONNECT_TIMEOUT_MS, type QueryOutcome, type QueryRequest } from './query-types.js';

/** mysql2's Types maps both ways (`3 → 'LONG'`, `'LONG' → 3`). */
function typeName(f: FieldPacket, types: Record<number, string | undefined>): string | null {
  const code = f.columnType ?? f.type;
  const name = code === undefined ? undefined : types[code];
  return f.extendedFormat ?? name?.toLowerCase() ?? null;
}

/** Bound as a prepared-statement value: objects and arrays go as JSON text. */
function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof Uint8Array)) return JSON.stringify(v);
  return v;
}

/**
 * One statement as a server-side prepared statement (`execute`: values bound by the server, never
 * spliced into the SQL text), read as a row stream; the connection is dropped once `maxRows + 1`
 * rows arrived. The time budget is mysql2's client-side timeout: the server may finish the
 * statement on its own (set max_statement_time on the server to bound that too).
 */
export async function queryMysql(target: DatabaseTarget, q: QueryRequest): Promise<QueryOutcome> {
  // mysql2 is loaded at the first MySQL query, not at start (issue 14, idle RSS).
  const { default: mysql } = await import('mysql2');
  const types = mysql.Types as unknown as Record<number, string | undefined>;
  const conn = mysql.createConnection({
    // The egress-checked address (database-target.ts guardDatabase): no second lookup to rebind.
    host: target.address ?? target.host,
    ...(target.port !== undefined ? { port: target.port } : {}),
    user: target.user,
    password: target.password,
    database: target.database,
    connectTimeout: Math.min(q.timeoutMs, CONNECT_TIMEOUT_MS),
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  return new Promise<QueryOutcome>((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    let fields: FieldPacket[] | undefined;
    let affected: number | undefined;
    let settled = false;
    const finish = (outcome: QueryOutcome | undefined, err?: unknown) => {
      if (settled) return;
      settled = true;
      q.signal?.removeEventListener('abort', onAbort);
      conn.destroy();
      if (outcome) resolve(outcome);
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    const onAbort = () => finish(undefined, new Error('query aborted'));
    q.signal?.addEventListener('abort', onAbort, { once: true });
    conn.on('error', (err: Error) => finish(undefined, err));
    const outcome = (truncated: boolean): QueryOutcome => ({
      rows: rows.map(jsonSafeRow),
      fields: (fields ?? []).map((f) => ({ name: f.name, type: typeName(f, types) })),
      truncated,
      ...(affected !== undefined ? { affected_rows: affected } : {}),
    });
    conn
      .execute({ sql: q.sql, timeout: q.timeoutMs }, q.params.map(bindable) as never)
      .on('error', (err: Error) => finish(undefined, err))
      .on('fields', (f: FieldPacket[]) => {
        fields = f;
      })
      .on('result', (row: Record<string, unknown> | ResultSetHeader) => {
        if (fields === undefined && 'affectedRows' in row) {
          affected = (row as ResultSetHeader).affectedRows;
          return;
        }
        if (rows.length === q.maxRows) {
          finish(outcome(true));
          return;
        }
        rows.push(row as Record<string, unknown>);
      })
      .on('end', () => finish(outcome(false)));
  });
}
