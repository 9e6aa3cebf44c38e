import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import SqliteDatabase, { SQLITE_DRIVER, SQLITE_DRIVER_PATH } from './sqlite-driver.js';

/**
 * Databases and statements left to the garbage collector, then a process that allocates and idles so
 * V8 finalizes them from its own tasks: better-sqlite3 12 built for Node 24.19+ aborts there
 * (nodejs/node#65446). The same churn a server makes with its one-off statements. Meaningful on
 * Node 24 (`.ci/node24` runs it): on Node 20 both drivers would pass.
 */
const CHURN = `
const Database = require(process.argv[1]);
for (let i = 0; i < 20; i++) {
  const db = new Database(':memory:');
  for (let j = 0; j < 200; j++) db.prepare('select ' + j + ' as n').get();
  if (i % 2) db.close();
}
let junk = [];
const t = setInterval(() => { junk = Array.from({ length: 2e5 }, (_, i) => ({ i })); }, 20);
setTimeout(() => { clearInterval(t); junk = null; setTimeout(() => console.log('survived'), 1000); }, 1500);
`;

function runChurn(): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHURN, SQLITE_DRIVER_PATH], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('the SQLite driver', () => {
  it('is 13 (Node-API) from Node 22 on and 12 on Node 20', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(SQLITE_DRIVER).toBe(major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');
    const db = new SqliteDatabase(':memory:');
    expect(db.prepare('select 1 + 1 as two').get()).toEqual({ two: 2 });
    db.close();
  });

  it('survives its databases and statements being garbage collected while the process idles', async () => {
    const r = await runChurn();
    expect(r.out).toContain('survived');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  }, 20_000);
});
