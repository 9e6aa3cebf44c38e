import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCluster } from '../support/cluster.js';
import { POSTGRES_URL } from '../support/harness.js';
import { dropSchema } from '../support/pg-schema.js';

const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));

describe('process roles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itw-roles-'));
  const schema = `itw_roles_${process.pid}`;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(POSTGRES_URL, schema);
  });

  it.each(['worker', 'serve --no-worker'])('`itw %s` refuses SQLite with a clear message', (command) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ITW_DATA_DIR: dir };
    delete env['ITW_DATABASE_URL'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', ITW, ...command.split(' ')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs PostgreSQL \(set ITW_DATABASE_URL=postgres:\/\/\.\.\.\).*use `itw serve`/);
  });

  it('cluster processes refuse to start without the shared vault key and approval-link secret', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ITW_DATA_DIR: dir, ITW_DATABASE_URL: POSTGRES_URL, ITW_DATABASE_SCHEMA: schema };
    delete env['ITW_ENCRYPTION_KEY'];
    delete env['ITW_APPROVAL_LINK_SECRET'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', ITW, 'worker'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cluster processes must share ITW_ENCRYPTION_KEY and ITW_APPROVAL_LINK_SECRET');
  });

  it('a standalone server and cluster processes refuse to share a database', async () => {
    const cluster = new TestCluster();
    try {
      const worker = await cluster.startWorker(2);
      const standalone = await cluster.start(['serve', '--port', '0']);
      expect(await standalone.exited).toBe(2);
      worker.process.proc.kill('SIGTERM');
      expect(await worker.process.exited).toBe(0);
    } finally {
      await cluster.close();
    }
  }, 60_000);
});
