// Real Prometheus and Alertmanager on loopback for the monitoring action tests: each with its own
// temporary storage and a free port, killed and removed on close. They need the Debian packages
// prometheus and prometheus-alertmanager (.ci/run installs them); without them the tests fail and say so.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

const PROMETHEUS = '/usr/bin/prometheus';
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const START_TIMEOUT_MS = 30_000;

export interface Daemon {
  readonly url: string;
  readonly dir: string;
  close(): void;
}

/** Polls `ready` until it says yes, the process dies, or the start timeout passes. */
async function waitFor(proc: ChildProcess, log: () => string, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}: ${log()}`);
    if (await ready().catch(() => false)) return;
    await sleep(200);
  }
  proc.kill('SIGKILL');
  throw new Error(`not ready after ${START_TIMEOUT_MS} ms: ${log()}`);
}

function launch(binary: string, args: string[], dir: string): { proc: ChildProcess; log: () => string } {
  if (!existsSync(binary)) throw new Error(`this test needs ${binary} (apt-get install ${binary.endsWith('alertmanager') ? 'prometheus-alertmanager' : 'prometheus'})`);
  const proc = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  proc.stderr?.on('data', (c: Buffer) => {
    text = (text + String(c)).slice(-4000);
  });
  return { proc, log: () => text };
}

export interface BasicAuthUser {
  readonly username: string;
  readonly password: string;
  /** bcrypt hash of the password, as --web.config.file's basic_auth_users takes it. */
  readonly bcrypt: string;
}

/**
 * Prometheus scraping itself every second; ready once `up` has a sample. With `basicAuth`, its API
 * (and so its own scrape) requires that user (--web.config.file).
 */
export async function startPrometheus(opts: { basicAuth?: BasicAuthUser } = {}): Promise<Daemon> {
  const user = opts.basicAuth;
  const dir = mkdtempSync(join(tmpdir(), 'itw-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: prometheus',
      ...(user ? [`    basic_auth: { username: ${user.username}, password: ${user.password} }`] : []),
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
    ].join('\n'),
  );
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  if (user) {
    writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  ${user.username}: ${user.bcrypt}\n`);
    args.push(`--web.config.file=${join(dir, 'web.yml')}`);
  }
  const { proc, log } = launch(PROMETHEUS, args, dir);
  const headers: Record<string, string> = user ? { authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}` } : {};
  await waitFor(proc, log, async () => {
    const res = await fetch(`${url}/api/v1/query?query=up`, { headers });
    const body = (await res.json()) as { data?: { result?: unknown[] } };
    return (body.data?.result?.length ?? 0) > 0;
  });
  return { url, dir, close: () => { proc.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

/** Alertmanager with a no-op receiver and clustering off; ready once /-/ready answers 200. */
export async function startAlertmanager(): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'itw-alertmanager-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'alertmanager.yml'), 'route: { receiver: blackhole }\nreceivers:\n  - name: blackhole\n');
  const { proc, log } = launch(
    ALERTMANAGER,
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    dir,
  );
  await waitFor(proc, log, async () => (await fetch(`${url}/-/ready`)).status === 200);
  return { url, dir, close: () => { proc.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}
