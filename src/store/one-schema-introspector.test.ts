import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './connect.js';
import { migrateToLatest } from './migrations/index.js';
import { POSTGRES_URL } from '../../test/support/dialects.js';

describe('the PostgreSQL store introspects its own schema only', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-introspect-'));
  const schema = `itw_intro_${randomBytes(5).toString('hex')}`;
  const other = `itw_intro_other_${randomBytes(5).toString('hex')}`;
  let store: Store;
  let admin: pg.Client;

  beforeAll(async () => {
    store = await openStore({ dataDir, databaseUrl: POSTGRES_URL, schema });
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${other}; CREATE TABLE ${other}.executions (id serial primary key)`);
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${other} CASCADE; DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists the store's tables with their columns, not another schema's table of the same name", async () => {
    const tables = await store.db.introspection.getTables();
    const executions = tables.filter((t) => t.name === 'executions');
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ schema, isView: false });
    expect(executions[0]!.columns.find((c) => c.name === 'id')).toMatchObject({ dataType: 'text', isNullable: false, isAutoIncrementing: false });
    expect(tables.every((t) => t.schema === schema)).toBe(true);
    expect(tables.map((t) => t.name)).not.toContain('kysely_migration');
    expect((await store.db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name)).toContain('kysely_migration');
  });

  it('migrates while other schemas of the database are created and dropped', async () => {
    // Kysely's own introspector failed ~1 call in 4 under this churn ("schema … does not exist"),
    // which failed a test suite's start whenever another one dropped its schema at the same moment.
    const churner = new pg.Client({ connectionString: POSTGRES_URL });
    await churner.connect();
    let stop = false;
    let churned = 0;
    const churn = (async () => {
      while (!stop) {
        const s = `itw_churn_${randomBytes(5).toString('hex')}`;
        // Separate statements: one multi-statement query would commit the schema and its drop together.
        await churner.query(`CREATE SCHEMA ${s}`);
        await churner.query(`CREATE TABLE ${s}.t (id serial primary key, x text)`);
        await churner.query(`DROP SCHEMA ${s} CASCADE`);
        churned++;
      }
    })();
    // Migrations go on until the churn has made and dropped 20 schemas, however fast either side runs.
    let migrations = 0;
    try {
      while (churned < 20 || migrations < 10) {
        await migrateToLatest(store.db, 'postgres', schema);
        migrations++;
      }
    } finally {
      stop = true;
      await churn;
      await churner.end();
    }
  });
});
