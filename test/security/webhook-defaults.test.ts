import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/triggers/ingress.js';
import type { ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, startTriggerServer, untilExecutions } from '../triggers/trigger-test-kit.js';

// Issue 11, finding 12: new webhook/alert triggers were open (`auth: none`) unless told otherwise,
// and our HMAC mode signed the body alone, so a captured delivery could be replayed forever.
const SECRET = 'hook-Signing-Secret-41d7';

describe('webhook defaults: auth is a choice, HMAC signs a timestamp (finding 12)', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(SQLITE);
  });
  afterAll(async () => s.close());

  it('a webhook or alert trigger without auth is refused at validation, with the modes to choose from', async () => {
    const bare = await s.call('POST', '/automation/workflows', { body: { name: 'Bare', nodes: [{ id: 'e', node_type: 'transform', config: { expression: '1' } }], edges: [] } });
    const reg = await s.call('POST', `/automation/workflows/${bare.body.id}/triggers`, { body: { trigger_type: 'webhook', config: { path: 'open' } } });
    expect(reg.status).toBe(400);
    const error = (reg.body.errors as Array<{ path: string; message: string }>).find((e) => e.path === '/config/auth');
    expect(error?.message).toMatch(/none, header, basic, hmac/);
    expect((await fetch(`${s.url}/webhooks/open`, { method: 'POST', body: '{}' })).status).toBe(404);

    for (const type of ['webhook', 'alert']) {
      const wf = await s.call('POST', '/automation/workflows', { body: echoWorkflow(`No auth ${type}`, { trigger_type: type, path: `open-${type}` }) });
      expect(wf.status).toBe(201);
      const act = await s.call('POST', `/automation/workflows/${wf.body.id}/activate`);
      expect(act.status).toBe(422);
      expect(act.text).toContain('/nodes/0/config/auth');
      expect(act.text).toMatch(/choose a mode: none, header, basic, hmac/);
    }
    // Choosing none is allowed: it is visible in the definition.
    await deployActive(s, echoWorkflow('Open on purpose', { trigger_type: 'webhook', path: 'open-on-purpose', auth: { mode: 'none' } }));
    expect((await fetch(`${s.url}/webhooks/open-on-purpose`, { method: 'POST', body: '{}' })).status).toBe(202);
  });

  it('hmac: no timestamp or an old one is 401, a fresh signed delivery is accepted once, its replay is 401', async () => {
    const wf = await deployActive(s, echoWorkflow('Signed', { trigger_type: 'webhook', path: 'signed', auth: { mode: 'hmac', secret: SECRET } }));
    const body = JSON.stringify({ event: 'deploy' });
    const send = (headers: Record<string, string>) => fetch(`${s.url}/webhooks/signed`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const now = Math.floor(Date.now() / 1000);

    // The body signed alone, as the old default accepted.
    expect((await send({ 'x-itw-signature': `sha256=${hmacHex(SECRET, body)}` })).status).toBe(401);
    expect((await send({ 'x-hub-signature-256': `sha256=${hmacHex(SECRET, body)}` })).status).toBe(401);
    const old = now - 600;
    expect((await send({ 'x-itw-timestamp': String(old), 'x-itw-signature': hmacHex(SECRET, `${old}.${body}`) })).status).toBe(401);
    // A fresh timestamp does not make an old signature valid: the timestamp is signed.
    expect((await send({ 'x-itw-timestamp': String(now), 'x-itw-signature': hmacHex(SECRET, `${old}.${body}`) })).status).toBe(401);
    expect(await executionsOf(s, wf)).toEqual([]);

    const fresh = { 'x-itw-timestamp': String(now), 'x-itw-signature': `sha256=${hmacHex(SECRET, `${now}.${body}`)}` };
    expect((await send(fresh)).status).toBe(202);
    const replay = await send(fresh);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('replay');
    const runs = await untilExecutions(s, wf, 1);
    expect(runs).toHaveLength(1);
  });

  it('vendor modes keep their vendor\'s format (GitHub signs the raw body, PagerDuty v1= list)', async () => {
    const gh = await deployActive(s, echoWorkflow('GitHub', { trigger_type: 'webhook', path: 'gh', auth: { mode: 'github', secret: "It's a Secret to Everybody" } }));
    const ghRes = await fetch(`${s.url}/webhooks/gh`, {
      method: 'POST', body: 'Hello, World!',
      headers: { 'content-type': 'text/plain', 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', 'x-github-delivery': 'g-1' },
    });
    expect(ghRes.status).toBe(202);
    await untilExecutions(s, gh, 1);

    const pd = await deployActive(s, echoWorkflow('PagerDuty', { trigger_type: 'webhook', path: 'pd', auth: { mode: 'pagerduty', secret: SECRET } }));
    const body = JSON.stringify({ event: { event_type: 'incident.triggered' } });
    const pdSend = (sig: string) => fetch(`${s.url}/webhooks/pd`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-pagerduty-signature': sig } });
    expect((await pdSend(`v1=${hmacHex('old-secret', body)}`)).status).toBe(401);
    expect((await pdSend(`v1=${hmacHex('old-secret', body)},v1=${hmacHex(SECRET, body)}`)).status).toBe(202);
    await untilExecutions(s, pd, 1);
  });
});
