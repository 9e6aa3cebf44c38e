import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../src/store/connect.js';
import { POSTGRES_URL } from './harness.js';
import { createDatabase } from './pg-schema.js';
import { LOOPBACK_EGRESS_ENV } from './loopback-egress.js';

const ITW = fileURLToPath(new URL('./itw.ts', import.meta.url));

export interface ItwProcess {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Resolves with the first stdout line matching `re`. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
}

/**
 * A cluster of real `itw` processes (run from source) on one PostgreSQL schema of the test
 * database, with the job queue in `<schema>_jobs`, short heartbeats and a shared vault key.
 */
export class TestCluster {
  readonly schema = `itw_cl_${randomBytes(4).toString('hex')}`;
  private readonly dirs: string[] = [];
  private readonly procs: ItwProcess[] = [];
  private env: NodeJS.ProcessEnv;
  private db: Promise<{ url: string; drop(): Promise<void> }> | undefined;

  /**
   * `viaUrl` maps the cluster database's URL to the one its processes connect with (a DbLink in
   * front of it, say); openStore() always reads the database directly.
   */
  constructor(extraEnv: Record<string, string> = {}, private readonly viaUrl: (url: string) => string = (url) => url) {
    this.env = {
      ...process.env,
      ITW_DATABASE_SCHEMA: this.schema,
      ITW_QUEUE_SCHEMA: `${this.schema}_jobs`,
      ITW_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ITW_APPROVAL_LINK_SECRET: randomBytes(24).toString('hex'),
      ITW_HEARTBEAT_MS: '500',
      ITW_DEAD_AFTER_MS: '3000',
      ITW_LOG_LEVEL: 'warn',
      ITW_SHUTDOWN_GRACE_MS: '2000',
      ...LOOPBACK_EGRESS_ENV,
      ...extraEnv,
    };
  }

  /** The cluster's own database (graphile-worker's notifications are per database); made on first use. */
  async url(): Promise<string> {
    this.db ??= createDatabase(POSTGRES_URL);
    const { url } = await this.db;
    this.env = { ...this.env, ITW_DATABASE_URL: this.viaUrl(url) };
    return url;
  }

  async start(args: readonly string[]): Promise<ItwProcess> {
    await this.url();
    const dataDir = mkdtempSync(join(tmpdir(), 'itw-cluster-'));
    this.dirs.push(dataDir);
    const proc = spawn(process.execPath, ['--import', 'tsx', ITW, ...args], { env: { ...this.env, ITW_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const waiters: Array<{ re: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const w of [...waiters]) {
        const m = out.match(w.re);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
    const p: ItwProcess = {
      proc, exited, output: () => out,
      waitFor: (re) => {
        const m = out.match(re);
        if (m) return Promise.resolve(m);
        return new Promise((resolve, reject) => {
          waiters.push({ re, resolve });
          void exited.then((code) => reject(new Error(`itw ${args.join(' ')} exited (${code}) before printing ${re}; it printed:\n${out}`)));
        });
      },
    };
    this.procs.push(p);
    return Object.assign(p, { dataDir });
  }

  /** `itw serve --no-worker` on a free port: its URL and admin API key. */
  async startApi(): Promise<{ process: ItwProcess; url: string; key: string }> {
    const p = (await this.start(['serve', '--no-worker', '--port', '0'])) as ItwProcess & { dataDir: string };
    const [, url] = (await p.waitFor(/listening on (http:\/\/\S+)/)) as [string, string];
    // Only the first API process on an empty database creates the admin key.
    let key = '';
    try {
      key = readFileSync(join(p.dataDir, 'admin-api-key'), 'utf8').trim();
    } catch {
      // a later API process: the caller reuses the first key
    }
    return { process: p, url, key };
  }

  async startWorker(concurrency = 16): Promise<{ process: ItwProcess; owner: string }> {
    const p = await this.start(['worker', '--concurrency', String(concurrency)]);
    const [, owner] = (await p.waitFor(/worker (\S+) running/)) as [string, string];
    return { process: p, owner };
  }

  /** The cluster's database, read directly (asserting what a user would find). */
  async openStore(): Promise<Store> {
    return openStore({ dataDir: '/nonexistent', databaseUrl: await this.url(), schema: this.schema });
  }

  async close(): Promise<void> {
    for (const p of this.procs) if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGKILL');
    await Promise.all(this.procs.map((p) => p.exited));
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    if (this.db) await (await this.db).drop();
  }
}

export async function api(url: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}
