import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOPBACK_EGRESS_ENV } from '../support/loopback-egress.js';

const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'itw-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...process.env, ...LOOPBACK_EGRESS_ENV, ITW_DATA_DIR: dataDir, ITW_TEMPLATES_DIR: join(dir, 'no-templates'), ...extra,
});

function itw(dataDir: string, args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ITW, ...args], { encoding: 'utf8', env: env(dataDir, extra), timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `itw serve` as a real process; resolves once it prints where it listens. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string; stdout: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ITW, 'serve', '--port', '0'], { env: env(dataDir, { ITW_LOG_LEVEL: 'warn' }) });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.resume();
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      // The banner is one write: wait for its end, not just its first line.
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.endsWith('\n')) resolve(m[1]!);
    };
    child.stdout.on('data', onData);
    void exit.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  return { child, url, stdout: () => out, exit };
}

const WORKFLOW = JSON.stringify({
  name: 'hello',
  nodes: [{ id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } }, { id: 'hi', node_type: 'transform', config: { expression: '"hi " & $trigger.who' } }],
  edges: [{ source_node_id: 'start', target_node_id: 'hi' }],
});

// Each test starts real `itw` processes (tsx-compiled): seconds each on a shared machine.
describe('itw on first run', { timeout: 180_000 }, () => {
  it('serve on a busy port says so in one line, exits 1, and has written nothing', async () => {
    const dataDir = join(dir, 'busy');
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const r = itw(dataDir, ['serve', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`port ${port} is in use`)]);
      expect(r.stderr).not.toContain('    at ');
      expect(existsSync(join(dataDir, 'admin-api-key'))).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('a bad setting is one line and exit 2, not a stack trace', () => {
    const r = itw(join(dir, 'bad-setting'), ['serve'], { ITW_PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('ITW_PORT must be an integer')]);
  });

  it('first start prints the UI address and a setup token; run works beside the server and --data-dir says it is locked', async () => {
    const dataDir = join(dir, 'served');
    const s = await serve(dataDir);
    try {
      expect(s.stdout()).toContain(`web UI at ${s.url}/`);
      const token = /setup token:\n(?:itw:)?\s+(\S+)/.exec(s.stdout())?.[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(s.stdout()).toContain('npx itw user create');
      expect(await (await fetch(`${s.url}/auth/setup`)).json()).toEqual({ needed: true });

      const file = join(dir, 'hello.json');
      writeFileSync(file, WORKFLOW);
      const run = itw(dataDir, ['run', file, '--input', '{"who":"ops"}']);
      expect(run.stderr).not.toContain('    at ');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', output: { hi: 'hi ops' } });

      const locked = itw(dataDir, ['run', file, '--data-dir', dataDir]);
      expect(locked.code).toBe(3);
      expect(locked.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is in use by a running itw process: leave out --data-dir/)]);

      const made = await fetch(`${s.url}/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, username: 'admin', password: 'first-admin-pw' }) });
      expect(made.status).toBe(201);
      expect(made.headers.get('set-cookie')).toMatch(/itw_session=/);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    }
  });
});
