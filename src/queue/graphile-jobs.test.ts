import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobChanges } from '../store/job-writer.js';
import { GRAPHILE_WORKER_RANGE, GraphileJobWriter } from './graphile-jobs.js';
import { migrateJobQueue } from './job-queue.js';

const PG_URL = process.env['ITW_TEST_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

describe('graphile-jobs', () => {
  it('matches the installed graphile-worker: its SQL was written against this minor version', () => {
    // Our statements reach into graphile-worker's private tables (_private_jobs) and types
    // (job_spec); an upgrade must fail here, loudly, until they are checked against the new SQL.
    const require = createRequire(import.meta.url);
    const pkgPath = require.resolve('graphile-worker/package.json');
    const { version } = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    const [major, minor] = version.split('.').map(Number);
    expect({ major, minor }, `graphile-worker ${version} is installed; graphile-jobs.ts mirrors ${GRAPHILE_WORKER_RANGE.major}.${GRAPHILE_WORKER_RANGE.minor}.x`).toEqual(GRAPHILE_WORKER_RANGE);
  });

  it('refuses a schema name that is not a plain identifier (it is spliced into the SQL)', () => {
    expect(() => new GraphileJobWriter('jobs; DROP TABLE executions')).toThrow(/invalid job queue schema name/);
    expect(() => new GraphileJobWriter('"quoted"')).toThrow(/invalid job queue schema name/);
    expect(() => new GraphileJobWriter('graphile_worker')).not.toThrow();
  });
});

/** The writer against graphile-worker's own tables, as migrated by the installed library. */
describe('graphile-jobs on PostgreSQL', () => {
  const schema = `itw_gjt_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
  const writer = new GraphileJobWriter(schema);

  beforeAll(async () => {
    await migrateJobQueue(pool, schema);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  async function write(changes: Partial<JobChanges>): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await writer.write(client, { jobs: [], removeJobKeys: [], completeJobs: [], ...changes });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  async function jobs(): Promise<Array<{ key: string; task_identifier: string; locked_by: string | null; attempts: number; run_at: Date; payload: unknown }>> {
    const r = await pool.query(
      `SELECT j.key, t.identifier AS task_identifier, j.locked_by, j.attempts, j.run_at, j.payload ` +
        `FROM ${schema}._private_jobs AS j JOIN ${schema}._private_tasks AS t ON t.id = j.task_id ORDER BY j.key`,
    );
    return r.rows as never;
  }

  it('adds jobs (due now, later, claimed), completes a claim only for its holder, removes by key', async () => {
    const later = Date.now() + 3_600_000;
    await write({
      jobs: [
        { task: 'itw_step', payload: { e: 'x1', r: 'r1', t: 1 }, key: 's:r1', claimBy: 'pool-a' },
        { task: 'itw_step', payload: { e: 'x1', r: 'r2', t: 1 }, key: 's:r2' },
        { task: 'itw_wake', payload: { e: 'x1', r: 'r3' }, key: 'w:r3', runAt: later },
      ],
    });
    const added = await jobs();
    expect(added.map((j) => [j.key, j.task_identifier, j.locked_by, j.attempts])).toEqual([
      ['s:r1', 'itw_step', 'pool-a', 1],
      ['s:r2', 'itw_step', null, 0],
      ['w:r3', 'itw_wake', null, 0],
    ]);
    expect(added[0]!.payload).toEqual({ e: 'x1', r: 'r1', t: 1 });
    expect(added[2]!.run_at.getTime()).toBe(later);

    // A claim another pool holds now (after an unlock) is not ours to complete.
    await write({ completeJobs: [{ key: 's:r1', claimedBy: 'pool-b' }] });
    expect((await jobs()).map((j) => j.key)).toEqual(['s:r1', 's:r2', 'w:r3']);
    await write({ completeJobs: [{ key: 's:r1', claimedBy: 'pool-a' }], removeJobKeys: ['w:r3'] });
    expect((await jobs()).map((j) => j.key)).toEqual(['s:r2']);
  });

  it('replaces a pending job with the same key instead of adding a second one', async () => {
    await write({ jobs: [{ task: 'itw_wake', payload: { e: 'x2', r: 'r9' }, key: 'w:r9', runAt: Date.now() + 60_000 }] });
    await write({ jobs: [{ task: 'itw_wake', payload: { e: 'x2', r: 'r9' }, key: 'w:r9', runAt: Date.now() + 120_000 }] });
    expect((await jobs()).filter((j) => j.key === 'w:r9')).toHaveLength(1);
  });
});
