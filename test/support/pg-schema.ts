import pg from 'pg';

/** Test schemas go when their suite closes, so the shared `test` database does not fill up. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own, for suites that run graphile-worker: its LISTEN/NOTIFY channels are
 * per database, and a worker shuts down when any schema of its database announces a "breaking"
 * queue migration, which every new queue schema does. Returns the URL and a drop function.
 */
export async function createDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `itw_db_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
