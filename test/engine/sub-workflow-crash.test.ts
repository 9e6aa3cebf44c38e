import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { httpFixture, json } from '../support/http-fixture.js';

const CHILD = fileURLToPath(new URL('../support/sub-workflow-crash-child.ts', import.meta.url));

function run(dataDir: string, url: string, phase: 'start' | 'resume', until: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url, phase], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const said = new Promise<string>((r) => proc.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes(until)) r(out); }));
  return { proc, exited, said };
}

describe('kill -9 while a parent waits for its sub-workflow', () => {
  let server: Awaited<ReturnType<typeof httpFixture>>;
  let dataDir: string;
  let hold = true;
  const held: ServerResponse[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'itw-subcrash-'));
    // /slow hangs while `hold` (the child is mid-step when the process dies), then answers.
    server = await httpFixture((_req, res) => { if (hold) held.push(res); else json(res, 200, { up: true }); });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the restarted process finishes the child, the parent resumes with its output, and no second child starts', async () => {
    const first = run(dataDir, server.url, 'start', 'waiting');
    await first.said;
    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    hold = false;
    for (const res of held) res.destroy();

    const second = run(dataDir, server.url, 'resume', 'completed');
    const said = await second.said;
    expect(await second.exited).toBe(0);
    const parentId = said.trim().split(' ')[1]!;

    const store = await openStore({ dataDir });
    try {
      const children = await store.db.selectFrom('executions').selectAll().where('parent_execution_id', '=', parentId).execute();
      expect(children).toHaveLength(1);
      expect(children[0]).toMatchObject({ status: 'completed', parent_node_id: 'sub', depth: 1 });
      const loaded = (await store.engine.loadExecution(parentId))!;
      expect(loaded.execution.status).toBe('completed');
      const subs = loaded.runs.filter((r) => r.node_id === 'sub');
      expect(subs.map((r) => r.status)).toEqual(['completed']);
      expect(subs[0]!.output).toMatchObject({ child_execution_id: children[0]!.id, answer: { host: 'db1', got: { up: true } } });
      expect(loaded.runs.find((r) => r.node_id === 'after')!.output).toBe(`child ${children[0]!.id} said {"up":true}`);
    } finally {
      await store.close();
    }
  }, 120_000);
});
