import { appendFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, sleep, startTriggerServer, untilExecutions, untilTrigger } from './trigger-test-kit.js';

describe('file_watch trigger (sqlite, real files)', () => {
  let s: ApiServer;
  let dir: string;
  beforeAll(async () => {
    s = await startTriggerServer(SQLITE);
    dir = mkdtempSync(join(tmpdir(), 'itw-watch-'));
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('add/change/unlink of files matching the glob, debounced per file', async () => {
    const watched = join(dir, 'a');
    mkdirSync(join(watched, 'in'), { recursive: true });
    const wf = await deployActive(s, echoWorkflow('Watch CSV', { trigger_type: 'file_watch', path: watched, glob: 'in/*.csv', events: ['add', 'change', 'unlink'], debounce_ms: 150 }));
    await untilTrigger(s, wf, (t) => t.status === 'running');
    writeFileSync(join(watched, 'in', 'report.csv'), 'a,b\n');
    appendFileSync(join(watched, 'in', 'report.csv'), '1,2\n');
    writeFileSync(join(watched, 'in', 'notes.txt'), 'ignored');
    writeFileSync(join(watched, 'top.csv'), 'ignored: not under in/');
    const [added] = await untilExecutions(s, wf, 1);
    expect(added!.input_data).toMatchObject({ event: 'add', relative_path: 'in/report.csv', size: 8 });
    await sleep(300);
    writeFileSync(join(watched, 'in', 'report.csv'), 'a,b\n1,2\n3,4\n');
    await untilExecutions(s, wf, 2);
    await sleep(300);
    unlinkSync(join(watched, 'in', 'report.csv'));
    const runs = await untilExecutions(s, wf, 3);
    expect(runs.map((r) => (r.input_data as { event: string }).event).sort()).toEqual(['add', 'change', 'unlink']);
    await sleep(300);
    expect(await executionsOf(s, wf)).toHaveLength(3);
  });

  it('"stable": a file still being written fires once, after it stops growing', async () => {
    const watched = join(dir, 'b');
    mkdirSync(watched);
    const wf = await deployActive(s, echoWorkflow('Stable', { trigger_type: 'file_watch', path: watched, glob: '*.log', debounce_ms: 0, stable_ms: 400 }));
    await untilTrigger(s, wf, (t) => t.status === 'running');
    const file = join(watched, 'big.log');
    writeFileSync(file, 'x'.repeat(1000));
    for (let i = 0; i < 6; i++) {
      await sleep(100);
      appendFileSync(file, 'y'.repeat(1000));
    }
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({ event: 'add', relative_path: 'big.log', size: 7000 });
    await sleep(600);
    expect(await executionsOf(s, wf)).toHaveLength(1);
  });

  it('existing files fire once with process_existing, and not again after a restart of the trigger', async () => {
    const watched = join(dir, 'c');
    mkdirSync(watched);
    writeFileSync(join(watched, 'old.json'), '{}');
    const wf = await deployActive(s, echoWorkflow('Existing', { trigger_type: 'file_watch', path: watched, glob: '*.json', process_existing: true, debounce_ms: 50 }));
    await untilExecutions(s, wf, 1);
    await s.call('POST', `/automation/workflows/${wf}/deactivate`);
    await s.call('POST', `/automation/workflows/${wf}/activate`);
    await untilTrigger(s, wf, (t) => t.status === 'running');
    await sleep(400);
    expect(await executionsOf(s, wf)).toHaveLength(1);
  });

  it('a directory that does not exist: status error, retried until it appears', async () => {
    const later = join(dir, 'later');
    const wf = await deployActive(s, echoWorkflow('Later', { trigger_type: 'file_watch', path: later, debounce_ms: 0 }));
    const t = await untilTrigger(s, wf, (x) => x.status === 'error');
    expect(t.last_error).toMatch(/ENOENT/);
    mkdirSync(later);
    await untilTrigger(s, wf, (x) => x.status === 'running');
    writeFileSync(join(later, 'f.txt'), 'hi');
    await untilExecutions(s, wf, 1);
  });
});
