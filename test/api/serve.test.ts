import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';

interface Captured extends CliIo {
  readonly lines: string[];
  readonly errors: string[];
}

function captureIo(dataDir: string, secret = ''): Captured {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines, errors, isTTY: false,
    env: { ITW_DATA_DIR: dataDir, ITW_LOG_LEVEL: 'silent', ITW_TEMPLATES_DIR: join(dataDir, 'none') },
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    readSecret: () => Promise.resolve(secret),
  };
}

/** Starts `itw serve` in this process; resolves with its URL once it listens, and a stop() that sends SIGTERM. */
async function serve(dataDir: string) {
  const io = captureIo(dataDir);
  const exit = runCli(['serve', '--port', '0', '--host', '127.0.0.1'], io);
  for (let i = 0; i < 500 && !io.lines.some((l) => l.includes('listening on')); i++) await new Promise((r) => setTimeout(r, 10));
  const url = /listening on (http:\/\/\S+)/.exec(io.lines.join('\n'))?.[1];
  if (!url) throw new Error(`serve did not start: ${io.errors.join('\n')}`);
  return {
    url, io,
    async stop(): Promise<number> {
      process.emit('SIGTERM', 'SIGTERM');
      return exit;
    },
  };
}

describe('itw serve, apikey, user', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-serve-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the first admin key file, serves the API, and stops on SIGTERM without losing a waiting execution', async () => {
    const first = await serve(dataDir);
    const keyFile = join(dataDir, 'admin-api-key');
    expect(first.io.lines.join('\n')).toContain(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(first.io.lines.join('\n')).not.toContain(key);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    const wf = await (await fetch(`${first.url}/automation/workflows`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ name: 'Survives', nodes: [{ id: 'wait', node_type: 'delay', config: { seconds: 0.3 } }, { id: 'done', node_type: 'transform', config: { expression: '"ok"' } }], edges: [{ source_node_id: 'wait', target_node_id: 'done' }] }),
    })).json() as { id: string };
    const exec = await (await fetch(`${first.url}/automation/workflows/${wf.id}/execute`, { method: 'POST', headers: auth, body: '{}' })).json() as { id: string };
    expect(await first.stop()).toBe(0);
    await expect(fetch(`${first.url}/health`)).rejects.toThrow();

    const second = await serve(dataDir);
    expect(second.io.lines.join('\n')).not.toContain('admin API key');
    let status = '';
    for (let i = 0; i < 300 && status !== 'completed'; i++) {
      status = ((await (await fetch(`${second.url}/automation/executions/${exec.id}`, { headers: auth })).json()) as { status: string }).status;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe('completed');
    expect(await second.stop()).toBe(0);
  });

  it('manages API keys and users from the command line', async () => {
    const io = captureIo(dataDir);
    expect(await runCli(['apikey', 'create', '--role', 'operator', '--name', 'deploy bot'], io)).toBe(0);
    const key = io.lines.at(-1)!;
    expect(key).toMatch(/^itw_/);
    const list = captureIo(dataDir);
    expect(await runCli(['apikey', 'list'], list)).toBe(0);
    const row = list.lines.find((l) => l.includes('deploy bot'))!;
    expect(row).toContain('operator');
    expect(row).not.toContain(key);
    const id = row.split(/\s+/)[0]!;
    expect(await runCli(['apikey', 'revoke', id], captureIo(dataDir))).toBe(0);
    const after = captureIo(dataDir);
    await runCli(['apikey', 'list'], after);
    expect(after.lines.find((l) => l.startsWith(id))).toContain('revoked');
    expect(await runCli(['apikey', 'create', '--role', 'root'], captureIo(dataDir))).toBe(2);

    const user = captureIo(dataDir, 'a long password');
    expect(await runCli(['user', 'create', '--username', 'dana', '--role', 'viewer'], user)).toBe(0);
    expect(user.lines[0]).toMatch(/created user dana/);
    expect(await runCli(['user', 'create', '--username', 'eve', '--role', 'viewer'], captureIo(dataDir, 'short'))).toBe(2);

    const s = await serve(dataDir);
    const login = await fetch(`${s.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dana', password: 'a long password' }) });
    expect(login.status).toBe(200);
    expect((await fetch(`${s.url}/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    expect(await s.stop()).toBe(0);
  });
});
