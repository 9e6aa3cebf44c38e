import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCluster } from '../support/cluster.js';

const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));

describe('process roles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itw-roles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['worker', 'serve --no-worker'])('`itw %s` refuses SQLite with a clear message', (command) => {
    const env = { ...process.env, ITW_DATA_DIR: dir };
    delete env['ITW_DATABASE_URL'];
    const r = spawnSync(process.execPath, ['--import', 'tsx', ITW, ...command.split(' ')], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/needs PostgreSQL \(set ITW_DATABASE_URL=postgres:\/\/\.\.\.\).*use `itw serve`/);
  });

  it('a standalone server and cluster processes refuse to share a database', async () => {
    const cluster = new TestCluster();
    try {
      const worker = await cluster.startWorker(2);
      const standalone = cluster.start(['serve', '--port', '0']);
      expect(await standalone.exited).toBe(2);
      worker.process.proc.kill('SIGTERM');
      expect(await worker.process.exited).toBe(0);
    } finally {
      await cluster.close();
    }
  }, 60_000);
});
