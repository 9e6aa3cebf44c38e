// Issue 11, finding 10: signed approval links kept working after their user was deleted, were
// written to the request log, and were built on the request's Host header (an attacker's host
// would receive the token). Runs the real server with a captured pino log.
import { request } from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';

const PUBLIC_URL = 'https://itw.example.com';

const WORKFLOW = {
  name: 'Guarded restart',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'ask', node_type: 'approval', config: { message: 'Restart?', approvers: [], timeout_seconds: 3600 } },
    { id: 'restart', node_type: 'action', config: { action_type: 'log', message: 'restarting' } },
  ],
  edges: [
    { source_node_id: 'start', target_node_id: 'ask' },
    { source_node_id: 'ask', source_handle: 'approved', target_node_id: 'restart' },
  ],
};

describe('approval links (finding 10)', () => {
  let s: ApiServer;
  const log: string[] = [];
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => log.push(...String(c).split('\n').filter(Boolean)));
    s = await startApiServer(SQLITE, { config: { logLevel: 'info', logRequests: true, publicUrl: PUBLIC_URL }, server: { logStream: stream } });
  });
  afterAll(async () => s.close());

  async function waiting(): Promise<string> {
    const wf = await s.call('POST', '/automation/workflows', { as: 'editor', body: WORKFLOW });
    const run = await s.call('POST', `/automation/workflows/${wf.body.id}/execute`, { as: 'operator', body: {} });
    const id = String(run.body.id);
    await untilStatus(s, id, (st) => st === 'waiting');
    return id;
  }

  /** GET /automation/approvals as a client that says it reached `host`, with node:http (fetch keeps Host to itself). */
  function listAs(headers: Record<string, string>, executionId: string): Promise<{ approve_url?: string; reject_url?: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${s.url}/automation/approvals?execution_id=${executionId}`, { headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += String(c)));
        res.on('end', () => resolve((JSON.parse(body) as { items: Array<{ approve_url?: string }> }).items[0]!));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The path of a link, sent to the test server (the links point at the public URL). */
  const pathOf = (link: string) => new URL(link).pathname;

  it('links are built on ITW_PUBLIC_URL, even when the request says Host: attacker.example', async () => {
    const id = await waiting();
    const item = await listAs({ host: 'attacker.example', 'x-forwarded-host': 'attacker.example', authorization: `Bearer ${s.keys.operator}` }, id);
    expect(item.approve_url!.startsWith(`${PUBLIC_URL}/approvals/`)).toBe(true);
    expect(item.reject_url!.startsWith(`${PUBLIC_URL}/approvals/`)).toBe(true);
    expect(JSON.stringify(item)).not.toContain('attacker.example');
  });

  it('a link answered after its user was deleted is refused, and the run keeps waiting', async () => {
    const created = await s.call('POST', '/automation/admin/users', { body: { username: 'dave', password: 'dave password 1', role: 'operator' } });
    const login = await s.call('POST', '/auth/login', { as: null, body: { username: 'dave', password: 'dave password 1' } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const id = await waiting();
    const mine = await s.call('GET', `/automation/approvals?execution_id=${id}`, { as: null, headers: { cookie } });
    const link = String(mine.body.items[0].approve_url);
    expect((await s.call('DELETE', `/automation/admin/users/${created.body.id}`)).status).toBe(204);

    const page = await s.call('GET', pathOf(link), { as: null });
    expect(page.status).toBe(401);
    const answer = await s.call('POST', pathOf(link), { as: null, body: {} });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.detail).toMatch(/dave.*no longer exists/);
    expect((await s.call('GET', `/automation/executions/${id}`)).body.status).toBe('waiting');
  });

  it('a link of a revoked API key is refused; a live holder\'s link still answers', async () => {
    const key = await s.call('POST', '/automation/admin/api-keys', { body: { name: 'pager bot', role: 'operator' } });
    const id = await waiting();
    const list = await s.call('GET', `/automation/approvals?execution_id=${id}`, { as: null, headers: { authorization: `Bearer ${key.body.key}` } });
    const link = String(list.body.items[0].approve_url);
    expect((await s.call('DELETE', `/automation/admin/api-keys/${key.body.id}`)).status).toBe(204);
    expect((await s.call('POST', pathOf(link), { as: null, body: {} })).status).toBe(401);

    const operators = await s.call('GET', `/automation/approvals?execution_id=${id}`, { as: 'operator' });
    const ok = await s.call('POST', pathOf(String(operators.body.items[0].approve_url)), { as: null, body: {} });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ decision: 'approved', by: 'test operator' });
  });

  it('the request log holds no link token', async () => {
    const id = await waiting();
    const list = await s.call('GET', `/automation/approvals?execution_id=${id}`, { as: 'operator' });
    const link = String(list.body.items[0].reject_url);
    const token = pathOf(link).slice('/approvals/'.length);
    await s.call('GET', pathOf(link), { as: null, headers: { accept: 'text/html' } });
    await s.call('POST', pathOf(link), { as: null, body: {} });
    expect(log.some((l) => l.includes('/approvals/[redacted]'))).toBe(true);
    expect(log.filter((l) => l.includes(token.split('.')[1]!) || l.includes(token.split('.')[0]!))).toEqual([]);
  });
});
