import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { openEvents } from '../api/sse-client.js';
import { deployActive } from '../triggers/trigger-test-kit.js';
import { SQLITE } from '../support/harness.js';
import { dataDirBytes, holds } from './secret-files.js';

// Issue 11, findings 6 and 7: a variable declared `secret` was `[redacted]` over REST only; the
// SSE streams, node outputs, exports and the database file carried it, and an encoded secret
// (Authorization: Basic base64(user:pass)) was stored as sent.
const DEFAULT_SECRET = 'default-Var-Secret-3e1d9c';
const OVERRIDE_SECRET = 'override-Var-Secret-77aa0f';
const BASIC_USER = 'svc-reporter';
const BASIC_PASSWORD = 'basic-Pass-Word-c0ffee42';

const SECRET_VARS = {
  name: 'Secret variables',
  variables: [{ name: 'api_token', type: 'string', secret: true, default: DEFAULT_SECRET }],
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'use', node_type: 'transform', config: { expression: '{"len": $length($vars.api_token), "header": "Bearer " & $vars.api_token, "url": "https://x.test/?t=" & $encodeUrlComponent($vars.api_token)}' } },
  ],
  edges: [{ source_node_id: 'start', target_node_id: 'use' }],
};

describe('one redaction layer for secret variables and encoded secrets (findings 6, 7)', () => {
  let s: ApiServer;
  let echo: Server;
  let echoUrl: string;
  let log = '';
  let wf: string;
  const secrets = [DEFAULT_SECRET, OVERRIDE_SECRET];

  beforeAll(async () => {
    echo = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    const logStream = new Writable({ write(chunk: Buffer, _enc, done) { log += chunk.toString('utf8'); done(); } });
    s = await startApiServer(SQLITE, { config: { logLevel: 'debug', egressAllow: ['127.0.0.1'] }, server: { logStream } });
    wf = await deployActive(s, SECRET_VARS);
  });
  afterAll(async () => {
    await s.close();
    await new Promise((r) => echo.close(r));
  });

  /** Runs the workflow (with an override or on the default) while /automation/events listens. */
  async function run(variables?: Record<string, unknown>) {
    const events = await openEvents(`${s.url}/automation/events`, { authorization: `Bearer ${s.keys.viewer}` });
    await events.until((m) => m.event === 'ready');
    const started = await s.call('POST', `/automation/workflows/${wf}/execute`, { as: 'operator', body: { input_data: {}, ...(variables ? { variables } : {}) } });
    expect(started.status, started.text).toBe(202);
    const id = String(started.body.id);
    await events.until((m) => m.event === 'execution' && m.data.id === id && m.data.status === 'completed');
    await events.stop();
    const detail = await untilStatus(s, id);
    const stream = await openEvents(`${s.url}/automation/executions/${id}/events`, { authorization: `Bearer ${s.keys.viewer}` });
    await stream.ended;
    return { started, detail, live: JSON.stringify(events.messages), snapshot: JSON.stringify(stream.messages) };
  }

  it('an override is used by the step and is redacted in REST, both SSE streams and the stored output', async () => {
    const r = await run({ api_token: OVERRIDE_SECRET });
    const use = (r.detail.body.nodes as Array<{ node_id: string; output: { len: number; header: string; url: string } }>).find((n) => n.node_id === 'use')!;
    expect(use.output.len).toBe(OVERRIDE_SECRET.length);
    expect(use.output.header).toBe('Bearer [redacted]');
    expect(use.output.url).toBe('https://x.test/?t=[redacted]');
    expect(r.detail.body.variables).toEqual({ api_token: '[redacted]' });
    for (const text of [r.started.text, r.detail.text, r.live, r.snapshot]) {
      expect(text).not.toContain(OVERRIDE_SECRET);
      expect(text).not.toContain(DEFAULT_SECRET);
    }
    expect(r.snapshot).toContain('"snapshot"');
    expect(r.live).toContain('[redacted]');
  });

  it('the declared default is used and redacted the same way', async () => {
    const r = await run();
    const use = (r.detail.body.nodes as Array<{ node_id: string; output: { len: number; header: string } }>).find((n) => n.node_id === 'use')!;
    expect(use.output).toMatchObject({ len: DEFAULT_SECRET.length, header: 'Bearer [redacted]' });
    for (const text of [r.detail.text, r.live, r.snapshot]) expect(text).not.toContain(DEFAULT_SECRET);
  });

  it('the definition and its export carry a vault reference, not the default', async () => {
    const def = await s.call('GET', `/automation/workflows/${wf}`, { as: 'viewer' });
    expect(def.text).not.toContain(DEFAULT_SECRET);
    for (const format of ['json', 'yaml']) {
      const exported = await s.call('GET', `/automation/workflows/${wf}/export?format=${format}`, { as: 'viewer' });
      expect(exported.status).toBe(200);
      expect(exported.text).not.toContain(DEFAULT_SECRET);
      expect(exported.text).toContain('$vault:sec_');
    }
  });

  it('a Basic header built from a credential is stored redacted in the node output', async () => {
    const cred = await s.call('POST', '/automation/credentials', { as: 'editor', body: { name: 'reporter', type: 'http_basic', data: { username: BASIC_USER, password: BASIC_PASSWORD }, allowed_hosts: ['127.0.0.1'] } });
    expect(cred.status, cred.text).toBe(201);
    const basicWf = await deployActive(s, {
      name: 'Basic echo',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'call', node_type: 'api_call', config: { method: 'GET', url: `${echoUrl}/whoami`, credential_id: 'reporter' } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'call' }],
    });
    const started = await s.call('POST', `/automation/workflows/${basicWf}/execute`, { as: 'operator', body: {} });
    expect(started.status, started.text).toBe(202);
    const detail = await untilStatus(s, String(started.body.id));
    expect(detail.body.status, detail.text).toBe('completed');
    const encoded = Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64');
    expect(detail.text).not.toContain(encoded);
    expect(detail.text).not.toContain(BASIC_PASSWORD);
    expect(detail.text).toContain('Basic [redacted]');
    secrets.push(BASIC_PASSWORD, encoded);
  });

  it('the pino log never holds them, whatever field a logger puts them in', () => {
    s.server.log.info({ note: `token ${OVERRIDE_SECRET}`, nested: { v: DEFAULT_SECRET } }, `message with ${OVERRIDE_SECRET}`);
    expect(log).toContain('execution finished');
    expect(log).toContain('message with [redacted]');
    for (const v of secrets) expect(log).not.toContain(v);
  });

  it('the database file holds none of them', () => {
    const bytes = dataDirBytes(s.config.dataDir);
    for (const v of secrets) expect(holds(bytes, v), v).toBe(false);
  });
});
