import { NonRetryableError, RetryableError } from '../../model/errors.js';
import { tailOf } from '../process/capped-output.js';
import { runProcess } from '../process/run-process.js';
import type { DatabaseTarget } from './database-target.js';
import type { QueryOutcome, QueryRequest } from './query-types.js';
import { SQLITE_DRIVER_PATH } from '../../store/sqlite-driver.js';

/**
 * better-sqlite3 is synchronous and has no interrupt: a slow statement run in the server would stall
 * every other step, and a runaway one (a recursive CTE without a bound) would never return, not
 * even in a worker thread, which cannot be stopped inside native code. So each query runs in a
 * short-lived Node child process (~50 ms to start) that the timeout can kill like any command.
 * The request goes in on stdin, the result comes back as one JSON document on stdout.
 */
const CHILD_SOURCE = `
const chunks = [];
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { chunks.push(c); });
process.stdin.on('end', () => {
  const w = JSON.parse(chunks.join(''));
  const Database = require(w.driver);
  const bytes = (_k, v) => (v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('base64') : v);
  let db;
  let reply;
  try {
    db = new Database(w.path, { fileMustExist: true, timeout: w.busyMs });
    const stmt = db.prepare(w.sql);
    const params = w.params.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    if (stmt.reader) {
      const fields = stmt.columns().map((c) => ({ name: c.name, type: c.type }));
      const rows = [];
      let truncated = false;
      for (const row of stmt.iterate(...params)) {
        if (rows.length === w.maxRows) { truncated = true; break; }
        rows.push(row);
      }
      reply = { ok: { rows, fields, truncated } };
    } else {
      reply = { ok: { rows: [], fields: [], truncated: false, affected_rows: stmt.run(...params).changes } };
    }
  } catch (e) {
    reply = { error: { message: e.message, code: e.code } };
  } finally {
    if (db) db.close();
  }
  process.stdout.write(JSON.stringify(reply, bytes));
});
`;

/** Bigger results fail clearly instead of being cut (a cut JSON document would not parse anyway). */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;

type ChildReply = { ok: QueryOutcome } | { error: { message: string; code?: string } };

/** Bound values: objects and arrays as JSON text (SQLite has no such types); undefined as NULL. */
function bindable(v: unknown): unknown {
  return v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
}

export async function querySqlite(target: DatabaseTarget, q: QueryRequest): Promise<QueryOutcome> {
  const request = { driver: SQLITE_DRIVER_PATH, path: target.path, sql: q.sql, params: q.params.map(bindable), maxRows: q.maxRows, busyMs: Math.min(q.timeoutMs, 5000) };
  const r = await runProcess({
    argv: [process.execPath, '-e', CHILD_SOURCE],
    stdin: JSON.stringify(request),
    timeoutMs: q.timeoutMs,
    ...(q.signal ? { signal: q.signal } : {}),
    maxOutputBytes: MAX_RESULT_BYTES,
    killGraceMs: 200,
  });
  if (r.aborted) throw new Error('query aborted');
  if (r.timedOut) throw new RetryableError('timeout', `${target.label}: query timed out after ${q.timeoutMs / 1000}s`);
  if (r.truncated) throw new NonRetryableError('result_too_large', `${target.label}: result exceeds ${MAX_RESULT_BYTES} bytes; lower max_rows`);
  if (r.exitCode !== 0) throw new Error(`sqlite query process failed: ${tailOf(r.stderr, 500)}`);
  const reply = JSON.parse(r.stdout) as ChildReply;
  if ('error' in reply) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
  return reply.ok;
}
