import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_DRIVER } from '../../src/store/sqlite-driver.js';
import { LOOPBACK_EGRESS_ENV } from '../support/loopback-egress.js';

/**
 * Issue 14 (idle RSS): integration client libraries are imported at first use, not at start. What a
 * user notices is memory; what this checks is its cause, through which modules a real `itw serve`
 * on SQLite has loaded, so it fails the day someone imports one of them eagerly again.
 */
const ITW = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
const PROBE = fileURLToPath(new URL('../support/loaded-packages.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'itw-lazy-'));

/** Libraries only some workflows or deployments use; none may load at the start of a SQLite instance. */
const LAZY = [
  'amqplib', 'graphile-worker', 'imapflow', 'mailparser', 'mqtt', 'mysql2', 'nats', 'nodemailer',
  'pg', 'pg-cursor', 'smtp-server', 'ssh2', 'undici', 'ioredis', 'ldapts',
];

let child: ChildProcess;
let url = '';
let remote: Server;

function loadedPackages(): Promise<string[]> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as string[]));
    child.send('loaded-packages');
  });
}

beforeAll(async () => {
  remote = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  child = spawn(process.execPath, ['--import', 'tsx', '--import', PROBE, ITW, 'serve', '--port', '0'], {
    env: { ...process.env, ...LOOPBACK_EGRESS_ENV, ITW_DATA_DIR: dir, ITW_TEMPLATES_DIR: join(dir, 'no-templates'), ITW_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'ignore', 'ipc'],
  });
  let out = '';
  url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.endsWith('\n')) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // SIGTERM is a clean shutdown: the process exits by itself.
    expect(await exited).toBe(0);
  }
  remote.closeAllConnections();
  await new Promise((resolve) => remote.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('itw serve on SQLite loads integration libraries at first use', { timeout: 120_000 }, () => {
  it('has loaded the server and SQLite driver but none of the integration libraries once listening', async () => {
    const loaded = await loadedPackages();
    // The probe sees packages at all: the ones every start needs are there.
    expect(loaded).toEqual(expect.arrayContaining(['fastify', SQLITE_DRIVER]));
    expect(loaded.filter((p) => LAZY.includes(p))).toEqual([]);
  });

  it('loads undici when a workflow makes its first HTTP call, and the call works', async () => {
    const key = readFileSync(join(dir, 'admin-api-key'), 'utf8').trim();
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const workflow = {
      name: 'calls out',
      nodes: [
        { id: 'hook', node_type: 'trigger', config: { trigger_type: 'webhook', path: 'lazy', methods: ['POST'], response: { mode: 'result', node_id: 'call', timeout_seconds: 30 }, auth: { mode: 'none' } } },
        { id: 'call', node_type: 'action', config: { action_type: 'http_request', params: { url: `http://127.0.0.1:${(remote.address() as AddressInfo).port}/x` } } },
      ],
      edges: [{ source_node_id: 'hook', target_node_id: 'call' }],
    };
    const created = await fetch(`${url}/automation/workflows/import`, { method: 'POST', headers: auth, body: JSON.stringify(workflow) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${url}/automation/workflows/${id}/activate`, { method: 'POST', headers: { authorization: auth.authorization } })).status).toBe(200);
    expect(await loadedPackages()).not.toContain('undici');

    const res = await fetch(`${url}/webhooks/lazy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 200, body: { ok: true } });
    expect(await loadedPackages()).toContain('undici');
  });

  it('a hostile IPC message gets no answer and does not disturb the server', async () => {
    child.send({ evil: 'loaded-packages' });
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
