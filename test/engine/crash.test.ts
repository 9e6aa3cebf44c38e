import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/connect.js';
import { expectedOutput } from '../support/crash-workflow.js';
import { httpFixture, json } from '../support/http-fixture.js';

const CHILD = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));
const COUNT = 1000;

function startChild(dataDir: string, url: string): { proc: ChildProcess; exited: Promise<number | null>; ready: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url, String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const ready = new Promise<void>((r) => proc.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) r(); }));
  return { proc, exited, ready };
}

describe('kill -9 at a random moment loses nothing', () => {
  let server: Awaited<ReturnType<typeof httpFixture>>;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'itw-crash-'));
    // Every /flaky/<n> fails its first call with 503, then answers {n}: retries are part of the run.
    server = await httpFixture((req, res) => {
      const n = Number(req.url.split('/').pop());
      const calls = server.requests.filter((r) => r.url === req.url).length;
      if (calls === 1) json(res, 503, { busy: true }, { 'retry-after': '0' });
      else json(res, 200, { n });
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`${COUNT} executions (delays, retries, loops) survive SIGKILL and restart`, async () => {
    const first = startChild(dataDir, server.url);
    // Kill somewhere between "executions still being started" and "most of them done".
    await first.ready;
    const killAfter = 100 + Math.floor(Math.random() * 800);
    await new Promise((r) => setTimeout(r, killAfter));
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    // The kill must have interrupted work, or the test proves nothing.
    const midway = await openStore({ dataDir });
    const unfinished = await midway.db.selectFrom('executions').select('id').where('status', 'not in', ['completed', 'failed', 'cancelled']).execute();
    const startedCount = (await midway.db.selectFrom('executions').select('id').execute()).length;
    await midway.close();
    expect(startedCount).toBeGreaterThan(0);
    expect(unfinished.length).toBeGreaterThan(0);

    const second = startChild(dataDir, server.url);
    expect(await second.exited).toBe(0);

    const store: Store = await openStore({ dataDir });
    try {
      const executions = await store.db.selectFrom('executions').selectAll().execute();
      expect(executions).toHaveLength(COUNT);
      const failedOrOdd = executions.filter((e) => e.status !== 'completed');
      expect(failedOrOdd.map((e) => [e.id, e.status, e.error])).toEqual([]);
      for (const e of executions) {
        const n = (JSON.parse(e.input_data as string) as { n: number }).n;
        expect(JSON.parse(e.output as string)).toEqual(expectedOutput(n));
      }
      // Exactly-once state transitions: no node completed twice in the same scope.
      const doubles = await store.db.selectFrom('node_executions').select(['execution_id', 'node_id', 'scope'])
        .select(({ fn }) => fn.countAll<number>().as('c')).where('status', '=', 'completed')
        .groupBy(['execution_id', 'node_id', 'scope']).having(({ fn }) => fn.countAll(), '>', 1).execute();
      expect(doubles).toEqual([]);
      // Every top-level node of every execution has a final record (completed or skipped).
      const open = await store.db.selectFrom('node_executions').select('id').where('status', 'in', ['pending', 'running', 'waiting']).execute();
      expect(open).toEqual([]);
      console.info(`crash test: killed ${killAfter} ms after start-up with ${startedCount} started, ${unfinished.length} unfinished; ${server.requests.length} HTTP calls for ${COUNT} executions`);
    } finally {
      await store.close();
    }
  }, 120_000);
});
