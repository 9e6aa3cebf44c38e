import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { openEvents } from '../api/sse-client.js';
import { deployActive } from '../triggers/trigger-test-kit.js';
import { SQLITE } from '../support/harness.js';
import { httpFixture, json } from '../support/http-fixture.js';
import { dataDirBytes, holds } from './secret-files.js';

// Issue 16c: an action that returns secrets (vault_read_secret) declares them (secretOutput); the
// engine registers them with the one redactor before the step's output is stored or streamed.
const TOKEN = 'hvs.CAESIappToken5f0e9d8c7b';
const DB_PASSWORD = 'Vault-Db-Password-4b2a91';

describe('secrets an action reads are redacted like credential fields', () => {
  let s: ApiServer;
  let vault: Awaited<ReturnType<typeof httpFixture>>;
  let log = '';
  let wf: string;

  beforeAll(async () => {
    vault = await httpFixture((req, res) => {
      if (req.headers['x-vault-token'] !== TOKEN) return json(res, 403, { errors: ['permission denied'] });
      if (req.url !== '/v1/secret/data/apps/db') return json(res, 404, { errors: [] });
      json(res, 200, { data: { data: { user: 'app', password: DB_PASSWORD }, metadata: { version: 7, created_time: '2026-01-01T00:00:00Z' } } });
    });
    const logStream = new Writable({ write(chunk: Buffer, _enc, done) { log += chunk.toString('utf8'); done(); } });
    s = await startApiServer(SQLITE, { config: { logLevel: 'debug', egressAllow: ['127.0.0.1'] }, server: { logStream } });
    const cred = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'vault-ops', type: 'vault', data: { address: vault.url, token: TOKEN } } });
    expect(cred.status, cred.text).toBe(201);
    expect(cred.body.effective_allowed_hosts).toEqual(['127.0.0.1']);
    wf = await deployActive(s, {
      name: 'Read a database password',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'read', node_type: 'action', config: { action_type: 'vault_read_secret', credential_id: 'vault-ops', path: 'apps/db' } },
        { id: 'use', node_type: 'transform', config: { expression: '{"dsn": "postgres://" & $nodes.read.data.user & ":" & $nodes.read.data.password & "@db/app", "len": $length($nodes.read.data.password)}' } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'read' }, { source_node_id: 'read', target_node_id: 'use' }],
    });
  });
  afterAll(async () => {
    await s.close();
    await vault.close();
  });

  it('the next step gets the value; REST, both SSE streams, the log and the database file show [redacted]', async () => {
    const events = await openEvents(`${s.url}/automation/events`, { authorization: `Bearer ${s.keys.viewer}` });
    await events.until((m) => m.event === 'ready');
    const started = await s.call('POST', `/automation/workflows/${wf}/execute`, { as: 'operator', body: {} });
    expect(started.status, started.text).toBe(202);
    const id = String(started.body.id);
    await events.until((m) => m.event === 'execution' && m.data.id === id && (m.data.status === 'completed' || m.data.status === 'failed'));
    await events.stop();
    const detail = await untilStatus(s, id);
    expect(detail.body.status, detail.text).toBe('completed');
    const nodes = detail.body.nodes as Array<{ node_id: string; output: Record<string, unknown> }>;
    expect(nodes.find((n) => n.node_id === 'read')!.output).toEqual({ data: { user: 'app', password: '[redacted]' }, version: 7, created_time: '2026-01-01T00:00:00Z' });
    // The transform saw the real password (its length), and its own output is stored redacted.
    expect(nodes.find((n) => n.node_id === 'use')!.output).toEqual({ dsn: 'postgres://app:[redacted]@db/app', len: DB_PASSWORD.length });
    const stream = await openEvents(`${s.url}/automation/executions/${id}/events`, { authorization: `Bearer ${s.keys.viewer}` });
    await stream.ended;
    for (const text of [detail.text, JSON.stringify(events.messages), JSON.stringify(stream.messages), log]) {
      expect(text).not.toContain(DB_PASSWORD);
      expect(text).not.toContain(TOKEN);
    }
    expect(holds(dataDirBytes(s.config.dataDir), DB_PASSWORD)).toBe(false);
  });

  it('a viewer cannot run it, and an operator cannot point the credential elsewhere', async () => {
    expect((await s.call('POST', `/automation/workflows/${wf}/execute`, { as: 'viewer', body: {} })).status).toBe(403);
    const other = await deployActive(s, {
      name: 'Vault elsewhere',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'read', node_type: 'action', config: { action_type: 'vault_read_secret', credential_id: 'vault-ops', path: '{{ $trigger.path }}' } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'read' }],
    });
    const started = await s.call('POST', `/automation/workflows/${other}/execute`, { as: 'operator', body: { input_data: { path: '../../sys/raw/core' } } });
    const detail = await untilStatus(s, String(started.body.id));
    expect(detail.body.status).toBe('failed');
    expect(detail.text).toContain('param /path');
  });
});
