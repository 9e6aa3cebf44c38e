import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * Which better-sqlite3 this process loads: 12 on Node 20, 13 on Node 22 and later.
 *
 * Why two: 13 is built on Node-API and needs Node 22 (it segfaults on Node 20). 12 wraps its
 * databases and statements in `node::ObjectWrap`, whose destructor aborts the process on Node
 * 24.19+ when the garbage collector finalizes one outside a JavaScript context ("Assertion failed:
 * (env) != nullptr" in RemoveEnvironmentCleanupHook, nodejs/node#65446): `itw serve` died during
 * start-up on Node 24.21. So 13 comes as the optional dependency `better-sqlite3-napi` (an npm
 * alias, skipped by npm on Node 20 by its `engines`), and 12 stays for Node 20. Node 22 is not
 * affected by the abort; it gets 13 too, the same driver as 24. An install without the alias (made
 * with `--omit=optional`) falls back to 12.
 */
export const SQLITE_DRIVER = chooseDriver(Number(process.versions.node.split('.')[0]));

function chooseDriver(nodeMajor: number): 'better-sqlite3' | 'better-sqlite3-napi' {
  if (nodeMajor < 22) return 'better-sqlite3';
  try {
    require.resolve('better-sqlite3-napi');
    return 'better-sqlite3-napi';
  } catch {
    return 'better-sqlite3';
  }
}

/** Its entry file: worker threads (the checkpointer, `query_sqlite`) require the same driver by path. */
export const SQLITE_DRIVER_PATH: string = require.resolve(SQLITE_DRIVER);

/** The driver's Database class; both majors have the API of @types/better-sqlite3. */
const SqliteDatabase = require(SQLITE_DRIVER) as typeof BetterSqlite3;
export default SqliteDatabase;
