import type pg from 'pg';
import type { JobChanges, JobWriter } from '../store/job-writer.js';

/**
 * The graphile-worker side of an engine commit: jobs added, removed and completed in the store's
 * transaction (store/job-writer.ts). The statements mirror the library's own; they were written
 * against graphile-worker 0.17 (graphile-jobs.test.ts fails on another minor version):
 * - add: `add_jobs(job_spec[])` and the `job_spec` type, worker sql/000019.sql;
 * - remove: `remove_job(job_key)`, sql/000018.sql;
 * - claim: the lock `get_job` takes, `src/sql/getJobs.ts` (`attempts + 1, locked_by, locked_at`);
 * - complete: `src/sql/completeJobs.ts` (`delete from _private_jobs`), here by key and lock holder.
 * (github.com/graphile/worker at v0.17.3.)
 */
export const GRAPHILE_WORKER_RANGE = { major: 0, minor: 17 } as const;

export class GraphileJobWriter implements JobWriter {
  private readonly schema: string;

  /** `schema`: graphile-worker's schema, spliced into the statements, so a plain identifier only. */
  constructor(schema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid job queue schema name: ${schema}`);
    this.schema = schema;
  }

  async write(client: pg.PoolClient, d: JobChanges): Promise<void> {
    const schema = this.schema;
    if (d.removeJobKeys.length > 0) {
      await client.query(`SELECT ${schema}.remove_job(k) FROM unnest($1::text[]) AS k`, [d.removeJobKeys]);
    }
    if (d.completeJobs.length > 0) {
      // What graphile-worker's complete_jobs() does, by key and only while the claim still holds (a
      // job unlocked after a false death and taken by another worker is that worker's to finish).
      await client.query(
        `DELETE FROM ${schema}._private_jobs AS j USING unnest($1::text[], $2::text[]) AS c(key, locked_by) WHERE j.key = c.key AND j.locked_by = c.locked_by`,
        [d.completeJobs.map((c) => c.key), d.completeJobs.map((c) => c.claimedBy)],
      );
    }
    if (d.jobs.length === 0) return;
    // One add_jobs() call for the whole batch; a key already pending is replaced (dedup).
    const specs = d.jobs.map((j) => ({
      identifier: j.task, payload: j.payload, run_at: j.runAt === undefined ? null : new Date(j.runAt).toISOString(), job_key: j.key ?? null,
    }));
    const added = await client.query<{ id: string; key: string | null }>(
      `SELECT id::text, key FROM ${schema}.add_jobs(ARRAY(SELECT (s.identifier, s.payload, NULL, s.run_at, NULL, s.job_key, NULL, NULL)::${schema}.job_spec ` +
        `FROM json_to_recordset($1::json) AS s(identifier text, payload json, run_at timestamptz, job_key text)))`,
      [JSON.stringify(specs)],
    );
    const claims = d.jobs.filter((j) => j.claimBy !== undefined && j.key !== undefined);
    if (claims.length === 0) return;
    const idByKey = new Map(added.rows.map((r) => [r.key, r.id]));
    const ids = claims.map((j) => idByKey.get(j.key!) ?? null);
    // Locked as get_job would lock them, so no other worker fetches them.
    await client.query(
      `UPDATE ${schema}._private_jobs AS j SET locked_at = now(), locked_by = c.locked_by, attempts = j.attempts + 1 ` +
        `FROM unnest($1::bigint[], $2::text[]) AS c(id, locked_by) WHERE j.id = c.id AND j.locked_at IS NULL`,
      [ids, claims.map((j) => j.claimBy!)],
    );
  }
}
