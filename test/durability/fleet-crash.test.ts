import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { startSshd, type Sshd } from '../support/sshd.js';

const CHILD = fileURLToPath(new URL('../support/fleet-crash-child.ts', import.meta.url));

function startChild(dataDir: string, setup: unknown): { proc: ChildProcess; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, JSON.stringify(setup)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return { proc, exited: new Promise((r) => proc.on('exit', (code) => r(code))) };
}

describe('kill -9 in the middle of a fleet step', () => {
  const names = ['a-host', 'b-host', 'c-host'];
  const servers: Sshd[] = [];
  const work = mkdtempSync(join(tmpdir(), 'itw-fleet-crash-'));
  beforeAll(async () => { for (let i = 0; i < names.length; i++) servers.push(await startSshd()); });
  afterAll(() => {
    for (const s of servers) s.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('re-runs only the hosts without a recorded result, under the same step key', async () => {
    const dataDir = join(work, 'data');
    const marks = join(work, 'marks');
    const hold = join(work, 'hold');
    writeFileSync(hold, '');
    // Each host appends its port; b-host then waits while the hold file exists: the kill lands there.
    const b = servers[1]!.port;
    const command = `p="\${SSH_CONNECTION##* }"; echo "$p" >> ${marks}; if [ "$p" = ${b} ]; then while [ -e ${hold} ]; do sleep 0.1; done; fi; echo "done $p"`;
    const setup = { servers: servers.map((s, i) => ({ name: names[i], port: s.port, clientKey: s.clientKey, hostFingerprint: s.hostFingerprint })), command };
    const read = () => (existsSync(marks) ? readFileSync(marks, 'utf8').trim().split('\n').map(Number) : []);

    const first = startChild(dataDir, setup);
    await vi.waitFor(() => expect(read()).toEqual([servers[0]!.port, b]), { timeout: 60_000, interval: 100 });
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    rmSync(hold);

    const midway = await openStore({ dataDir });
    const recorded = await midway.db.selectFrom('fleet_host_results').select(['step_key', 'host_name']).execute();
    await midway.close();
    expect(recorded.map((r) => r.host_name)).toEqual(['a-host']);

    const second = startChild(dataDir, setup);
    expect(await second.exited).toBe(0);
    // a-host ran once; b-host (interrupted, no result) ran again; c-host once.
    expect(read()).toEqual([servers[0]!.port, b, b, servers[2]!.port]);

    const store = await openStore({ dataDir });
    try {
      const execution = await store.db.selectFrom('executions').selectAll().executeTakeFirstOrThrow();
      expect(execution.status).toBe('completed');
      const runs = await store.db.selectFrom('node_executions').selectAll().where('node_id', '=', 'fleet').execute();
      expect(runs.map((r) => [r.status, r.attempt])).toEqual([['completed', 1]]);
      const output = JSON.parse(runs[0]!.output as string) as { succeeded: string[]; hosts: Record<string, { stdout: string }> };
      expect(output.succeeded).toEqual(names);
      expect(output.hosts['b-host']!.stdout).toBe(`done ${b}\n`);
      const rows = await store.db.selectFrom('fleet_host_results').select(['step_key', 'host_name']).orderBy('host_name').execute();
      expect(rows.map((r) => r.host_name)).toEqual(names);
      // One key for the step across both processes: the first run's row and the re-run's share it.
      expect(new Set(rows.map((r) => r.step_key))).toEqual(new Set([recorded[0]!.step_key]));
    } finally {
      await store.close();
    }
  }, 120_000);
});
