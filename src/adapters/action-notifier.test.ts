import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from '../../test/support/http-fixture.js';
import { listResolver } from '../actions/communication/test-context.js';
import { ActionNotifier } from './action-notifier.js';
import type { Incident } from '../incidents/incident-types.js';
import { testServices } from '../../test/support/loopback-egress.js';

const incident: Incident = {
  id: 'inc_1',
  number: 12,
  key: 'INC-12',
  title: 'Orders backlog',
  description: 'queue depth 50k',
  severity: 'critical',
  status: 'triggered',
  service: 'orders',
  assignee: null,
  escalation_policy_id: 'esc_1',
  escalation_level: 1,
  escalation_round: 0,
  external_refs: {},
  created_at: 0,
  updated_at: 0,
  acknowledged_at: null,
  resolved_at: null,
};
const ctx = { idempotencyKey: 'itm_1:0', signal: new AbortController().signal, level: 1, round: 0 };

describe('ActionNotifier', () => {
  let server: Awaited<ReturnType<typeof httpFixture>>;
  let notifier: ActionNotifier;

  beforeAll(async () => {
    // Slack incoming webhook (200 "ok") and Twilio Messages (201 message resource) on one fixture.
    server = await httpFixture((req, res) => {
      if (req.url.startsWith('/hooks/')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      json(res, 201, { sid: 'SM0123', status: 'queued', to: new URLSearchParams(req.body).get('To') });
    });
    const credentials = listResolver([
      { id: 'slack_ops', type: 'slack', data: { webhook_url: `${server.url}/hooks/T000/B000/XXXX` } },
      { id: 'twilio_ops', type: 'twilio', data: { account_sid: 'AC123', auth_token: 'twilio-auth-token-0123', from: '+15550001111', base_url: server.url } },
    ]);
    notifier = new ActionNotifier({
      credentials,
      services: testServices(),
      defaults: { slack: 'slack_ops', twilio: 'twilio_ops' },
      userContact: (id) => Promise.resolve(id === 'dana' ? { phone: '+15550002222' } : undefined),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('pages a Slack channel and an SMS number through the send_slack and send_sms actions', async () => {
    server.requests.length = 0;
    await notifier.notify({ type: 'slack_channel', value: '#oncall' }, incident, ctx);
    await notifier.notify({ type: 'sms', value: '+15550003333' }, incident, ctx);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      text: '[INC-12] CRITICAL: Orders backlog (orders)\n\nqueue depth 50k\n\nEscalation level 2. Acknowledge to stop escalation.',
    });
    const sms = new URLSearchParams(server.requests[1]!.body);
    expect(server.requests[1]!.url).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(Object.fromEntries(sms)).toEqual({ To: '+15550003333', From: '+15550001111', Body: '[INC-12] CRITICAL: Orders backlog (orders) - acknowledge to stop escalation' });
  });

  it('reaches a user through their contact, and fails clearly without one', async () => {
    server.requests.length = 0;
    await notifier.notify({ type: 'user', value: 'dana' }, incident, ctx);
    expect(new URLSearchParams(server.requests[0]!.body).get('To')).toBe('+15550002222');
    await expect(notifier.notify({ type: 'user', value: 'nobody' }, incident, ctx)).rejects.toMatchObject({ code: 'no_contact' });
  });

  it('refuses a malformed target and a channel with no credential', async () => {
    await expect(notifier.notify({ type: 'sms', value: '555-1234' }, incident, ctx)).rejects.toMatchObject({ code: 'invalid_target' });
    await expect(notifier.notify({ type: 'email', value: 'a@example.com' }, incident, ctx)).rejects.toMatchObject({ code: 'no_credential' });
  });
});
