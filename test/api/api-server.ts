import { dropSchema } from '../support/pg-schema.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ActionCatalog } from '../../src/actions/define-action.js';
import { buildServer, type ServerOptions } from '../../src/api/server.js';
import type { Api } from '../../src/api/types.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { ROLES, type Role } from '../../src/model/roles.js';
import type { Dialect } from '../support/harness.js';
import { LOOPBACK_EGRESS } from '../support/loopback-egress.js';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body, checked field by field by the assertions
  readonly body: any;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Raw body text (sent as is, with the content-type header given). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  /** Whose API key to send; `null` sends none. @default 'admin' */
  readonly as?: Role | null;
}

export interface ApiServer {
  readonly url: string;
  readonly app: App;
  readonly server: Api;
  readonly config: Config;
  /** One API key per role, created directly in the store. */
  readonly keys: Readonly<Record<Role, string>>;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

let seq = 0;

/** A real server on a random loopback port over a fresh store of the given dialect. */
export async function startApiServer(
  dialect: Dialect,
  opts: { templatesDir?: string; actions?: ActionCatalog; config?: Partial<Config>; server?: ServerOptions } = {},
): Promise<ApiServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'itw-api-'));
  const schema = `api_${process.pid}_${Date.now().toString(36)}_${seq++}`;
  const config = loadConfig({}, {
    dataDir, logLevel: 'silent', egressAllow: LOOPBACK_EGRESS, templatesDir: opts.templatesDir ?? join(dataDir, 'no-templates'),
    ...(dialect.url ? { databaseUrl: dialect.url } : {}), ...opts.config,
  });
  // The app's log (engine, step lines) goes where the server's does, so log assertions see both.
  const app = await createApp(config, { ...(dialect.name === 'postgres' ? { schema } : {}), ...(opts.actions ? { actions: opts.actions } : {}), ...(opts.server?.logStream ? { logStream: opts.server.logStream } : {}) });
  const server = await buildServer(app, config, opts.server);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) keys[role] = (await app.repos.apiKeys.create({ name: `test ${role}`, role })).key;

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const as = o.as === undefined ? 'admin' : o.as;
    const hasAuth = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
    if (as !== null && !hasAuth) headers['authorization'] = `Bearer ${keys[as]}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };

  return {
    url, app, server, config, keys, call,
    async close() {
      // fetch's pool may hold a connection that never carried a request; tests do not wait out its keep-alive.
      const closing = server.close();
      server.server.closeAllConnections();
      await closing;
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (dialect.name === 'postgres') await dropSchema(dialect.url!, schema);
    },
  };
}

/** A three-node workflow that runs without any outside system: trigger → transform → transform. */
export const LINEAR = {
  name: 'Linear',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'double', node_type: 'transform', config: { expression: '$input.items.($ * 2)' } },
    { id: 'sum', node_type: 'transform', config: { expression: '$sum($input)' } },
  ],
  edges: [
    { source_node_id: 'start', target_node_id: 'double' },
    { source_node_id: 'double', target_node_id: 'sum' },
  ],
};

const FINAL = ['completed', 'failed', 'cancelled'];

/**
 * Polls GET /automation/executions/{id} until the status matches (final by default). Polling the API,
 * not the engine: what a client would see is what the tests assert.
 */
export async function untilStatus(s: ApiServer, id: string, accept: (status: string) => boolean = (st) => FINAL.includes(st)): Promise<Reply> {
  for (let i = 0; i < 1000; i++) {
    const r = await s.call('GET', `/automation/executions/${id}`);
    if (r.status === 200 && accept(String(r.body.status))) return r;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`execution ${id} never reached the expected status`);
}
