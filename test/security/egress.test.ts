import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { auditEntries, connectionCounter, nodeError, runAsOperator } from './run-as-operator.js';

// Issue 11 finding 3: with defaults, api_call reached loopback in every spelling, followed a
// redirect to it, and database / SSH / SMTP connections were never checked.

function listen(host: string, handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, host, () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

describe('one default-on egress policy for every outbound connection (issue 11, finding 3)', () => {
  let s: ApiServer;
  let inside: { server: Server; port: number };
  let bouncer: { server: Server; port: number };
  let hits = 0;

  beforeAll(async () => {
    inside = await listen('127.0.0.1', (_req, res) => { hits++; res.end('internal'); });
    // 127.0.0.2 stands for an allowed outside server that answers with a redirect to loopback.
    bouncer = await listen('127.0.0.2', (_req, res) => { res.writeHead(302, { location: `http://127.0.0.1:${inside.port}/admin` }); res.end(); });
    // The product's defaults (guard on), allowing only the "outside" server, as a site would with ITW_EGRESS_ALLOW.
    s = await startApiServer(SQLITE, { config: { egressAllow: ['127.0.0.2'] } });
    expect(s.config.egressGuard).toBe(true);
  });
  afterAll(async () => {
    await s.close();
    inside.server.close();
    bouncer.server.close();
  });

  const fetchStep = (url: string) => ({
    name: `Fetch ${url}`,
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'fetch', node_type: 'api_call', config: { url } },
    ],
    edges: [{ source_node_id: 'start', target_node_id: 'fetch' }],
  });

  it('refuses every spelling of loopback, unspecified, IPv4-mapped and NAT64 addresses with egress_denied; nothing arrives', async () => {
    const p = inside.port;
    const forms = [
      `http://127.0.0.1:${p}/`, `http://2130706433:${p}/`, `http://0x7f000001:${p}/`, `http://0177.0.0.1:${p}/`,
      `http://127.1:${p}/`, `http://0.0.0.0:${p}/`, `http://[::ffff:127.0.0.1]:${p}/`, `http://localhost:${p}/`,
      `http://[::1]:${p}/`, `http://[::127.0.0.1]:${p}/`, `http://[64:ff9b::7f00:1]:${p}/`, `http://169.254.169.254/latest/meta-data/`,
      'http://192.0.2.10/', 'http://198.18.0.1/', 'http://[2001:db8::1]/', 'http://[100::1]/',
    ];
    const runs = await Promise.all(forms.map((url) => runAsOperator(s, fetchStep(url))));
    for (const [i, done] of runs.entries()) {
      expect({ url: forms[i], status: done.body.status, error: nodeError(done, 'fetch')?.code }).toEqual({ url: forms[i], status: 'failed', error: 'egress_denied' });
    }
    expect(hits).toBe(0);
  });

  it('checks redirects: an allowed server cannot bounce a request to loopback', async () => {
    const done = await runAsOperator(s, fetchStep(`http://127.0.0.2:${bouncer.port}/go`));
    expect(nodeError(done, 'fetch')).toMatchObject({ code: 'egress_denied' });
    expect(hits).toBe(0);
  });

  it('refuses database, SSH and SMTP connections to denied addresses before connecting', async () => {
    const tcp = await connectionCounter();
    try {
      await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'ssh-in', type: 'ssh_key', data: { host: '127.1', port: String(tcp.port), username: 'root', private_key: 'not-used' } } });
      await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'smtp-in', type: 'smtp', data: { host: 'localhost', port: String(tcp.port), from: 'itw@example.com' } } });
      const action = (id: string, config: object) => ({
        name: `Reach ${id}`,
        nodes: [
          { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
          { id, node_type: 'action', config },
        ],
        edges: [{ source_node_id: 'start', target_node_id: id }],
      });
      const steps: Array<[string, object]> = [
        ['pg', { action_type: 'query_database', database_url: `postgres://u:p@2130706433:${tcp.port}/db`, sql: 'select 1' }],
        ['mysql', { action_type: 'query_database', database_url: `mysql://root@localhost:${tcp.port}/db`, sql: 'select 1' }],
        ['pgdump', { action_type: 'backup_database', database_url: `postgres://u@[::ffff:127.0.0.1]:${tcp.port}/db`, destination_dir: '/tmp/itw-never' }],
        ['ssh', { action_type: 'execute_command', command: ['id'], ssh_credential_id: 'ssh-in' }],
        ['smtp', { action_type: 'send_email', credential_id: 'smtp-in', to: 'ops@example.com', subject: 's', text: 't' }],
      ];
      const runs = await Promise.all(steps.map(([id, config]) => runAsOperator(s, action(id, config))));
      for (const [i, done] of runs.entries()) {
        const id = steps[i]![0];
        expect({ id, error: nodeError(done, id)?.code }).toEqual({ id, error: 'egress_denied' });
      }
      expect(tcp.connections).toBe(0);
    } finally {
      await tcp.close();
    }
  });

  it('records refused connections in the audit log with host, address and protocol', async () => {
    const entries = (await auditEntries(s)).filter((e) => e.action === 'egress.denied');
    expect(entries).toContainEqual(expect.objectContaining({ resource_type: 'egress', resource_id: '127.0.0.1', details: expect.objectContaining({ ip: '127.0.0.1', protocol: 'http' }) }));
    expect(entries.map((e) => e.details?.['protocol'])).toEqual(expect.arrayContaining(['postgres', 'mysql', 'ssh', 'smtp']));
  });
});
