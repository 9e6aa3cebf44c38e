import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOPBACK_EGRESS_ENV } from './loopback-egress.js';

const ITW = fileURLToPath(new URL('./itw.ts', import.meta.url));

export interface ServeChild {
  readonly url: string;
  /** An admin API call: status and parsed JSON body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> & { items?: Array<Record<string, unknown>> } }>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

/**
 * A real `itw serve` on `dataDir` (SQLite) in its own process, from source, with `env` added: for
 * tests that kill it with SIGKILL and start another on the same data dir.
 */
export async function serveChild(dataDir: string, env: Record<string, string> = {}): Promise<ServeChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', ITW, 'serve', '--port', '0'], {
    env: { ...process.env, ...LOOPBACK_EGRESS_ENV, ITW_DATA_DIR: dataDir, ITW_TEMPLATES_DIR: join(dataDir, 'no-templates'), ITW_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.endsWith('\n')) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`itw serve exited: ${out}`)));
  });
  const key = readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim();
  return {
    url,
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
