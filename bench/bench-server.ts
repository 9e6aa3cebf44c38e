import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../src/api/server.js';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';

export interface BenchServer {
  readonly app: App;
  readonly base: string;
  /** Admin key and JSON content type. */
  readonly headers: Record<string, string>;
  readonly key: string;
  /** The id of the workflow created and activated for the run. */
  readonly workflowId: string;
}

/**
 * A real `itw serve` on SQLite in a temp dir, in this process, with `workflow` created and
 * activated; torn down (server, app, data dir) after `run`, whatever it does.
 */
export async function withBenchServer<T>(name: string, workflow: unknown, run: (s: BenchServer) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `itw-${name}-bench-`));
  const config = loadConfig({}, { dataDir: dir, logLevel: 'warn', templatesDir: join(dir, 'none') });
  const app = await createApp(config);
  const server = await buildServer(app, config);
  try {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const { key } = await app.repos.apiKeys.create({ name: 'bench', role: 'admin' });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const wf = (await (await fetch(`${base}/automation/workflows`, { method: 'POST', headers, body: JSON.stringify(workflow) })).json()) as { id: string };
    await fetch(`${base}/automation/workflows/${wf.id}/activate`, { method: 'POST', headers });
    return await run({ app, base, headers, key, workflowId: wf.id });
  } finally {
    await server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
