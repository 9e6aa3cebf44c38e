import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * Which better-sqlite3 this process loads: 12 on Node 20, 13 on Node 22 and later.
 *
 * Why two: 13 is built on Node-API and needs Node 22 (it segfaults on Node 20). 12 wraps its
 * databases and statements in `node::ObjectWrap`, whose destructor aborts the process on Node 24.19
 * to 24.21 (24.22 fixed it on Node's side) when the garbage collector finalizes one outside a
 * JavaScript context ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook,
 * nodejs/node#65446): `itw serve` died during start-up on Node 24.21. So 13 comes as the optional
 * dependency `better-sqlite3-napi` (an npm alias, skipped by npm on Node 20 by its `engines`), and 12
 * stays for Node 20. Node 22 is not affected by the abort; it gets 13 too, the same driver as 24.
 */
const chosen = loadDriver(Number(process.versions.node.split('.')[0]));

/** The package this process loaded. */
export const SQLITE_DRIVER: 'better-sqlite3' | 'better-sqlite3-napi' = chosen.name;

/** Its entry file: worker threads (the checkpointer, `query_sqlite`) require the same driver by path. */
export const SQLITE_DRIVER_PATH: string = require.resolve(chosen.name);

/**
 * 13 where it is installed and loads (a platform without its prebuilt binary falls back to 12,
 * which builds from source); 12 otherwise.
 */
function loadDriver(nodeMajor: number): { name: 'better-sqlite3' | 'better-sqlite3-napi'; driver: typeof BetterSqlite3 } {
  if (nodeMajor >= 22) {
    try {
      const driver = require('better-sqlite3-napi') as typeof BetterSqlite3;
      new driver(':memory:').close(); // its native binary loads at the first database
      return { name: 'better-sqlite3-napi', driver };
    } catch {
      // not installed (--omit=optional) or no binary for this platform
    }
  }
  return { name: 'better-sqlite3', driver: require('better-sqlite3') as typeof BetterSqlite3 };
}

/** The driver's Database class; both majors have the API of @types/better-sqlite3. */
const SqliteDatabase = chosen.driver;
export default SqliteDatabase;
