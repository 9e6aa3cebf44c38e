import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../src/triggers/ingress.js';
import type { ApiServer } from '../api/api-server.js';
import { DIALECTS } from '../support/harness.js';
import { deployActive, echoWorkflow, executionsOf, sleep, startTriggerServer, untilExecutions } from './trigger-test-kit.js';

/** An Alertmanager v4 webhook body (WIRE-FORMATS.md). */
function alertmanager(status: 'firing' | 'resolved', fingerprint: string, labels: Record<string, string> = {}) {
  const alert = {
    status, labels: { alertname: 'DiskFull', severity: 'critical', service: 'db', ...labels }, annotations: { summary: 'disk 95% full' },
    startsAt: '2026-01-01T00:00:00Z', endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-01-01T01:00:00Z', generatorURL: 'http://prom/graph', fingerprint,
  };
  return {
    version: '4', groupKey: '{}:{alertname="DiskFull"}', truncatedAlerts: 0, status, receiver: 'itw', groupLabels: { alertname: 'DiskFull' },
    commonLabels: alert.labels, commonAnnotations: alert.annotations, externalURL: 'http://am', alerts: [alert],
  };
}

describe.each(DIALECTS)('alert trigger ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startTriggerServer(dialect);
  });
  afterAll(async () => s.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/alerts/${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

  it('Alertmanager: the same firing alert posted 100 times goes through incident dedup and starts one execution', async () => {
    const wf = await deployActive(s, echoWorkflow('On alert', { trigger_type: 'alert', path: 'am', auth: { mode: 'header', token: 'am-token' } }));
    expect((await post('am', alertmanager('firing', 'fp-1'))).status).toBe(401);
    const answers = await Promise.all(Array.from({ length: 100 }, () => post('am', alertmanager('firing', 'fp-1'), { authorization: 'Bearer am-token' })));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    const runs = await untilExecutions(s, wf, 1);
    await sleep(200);
    expect(await executionsOf(s, wf)).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger_type: 'alert', status: 'completed' });
    expect(runs[0]!.input_data).toMatchObject({ format: 'alertmanager', action: 'trigger', alert: { dedup_key: 'alertmanager:fp-1', severity: 'critical', status: 'triggered', count: expect.any(Number) } });
    const alerts = await s.call('GET', '/automation/alerts');
    if (alerts.status === 200) expect(JSON.stringify(alerts.body)).toContain('"count":100');
    // A new fingerprint is a new alert.
    await post('am', alertmanager('firing', 'fp-2'), { 'x-webhook-token': 'am-token' });
    await untilExecutions(s, wf, 2);
  });

  it('fires on resolve when asked, and filters on severity/service', async () => {
    const wf = await deployActive(s, echoWorkflow('Resolved only', { trigger_type: 'alert', path: 'am2', auth: { mode: 'none' }, fire_on: ['resolved'], services: ['db'] }));
    const other = await deployActive(s, echoWorkflow('Warnings only', { trigger_type: 'alert', path: 'am2', auth: { mode: 'none' }, severities: ['warning'] }));
    await post('am2', alertmanager('firing', 'fp-r'));
    await post('am2', alertmanager('resolved', 'fp-r'));
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({ action: 'resolve', alert: { status: 'resolved' } });
    await post('am2', alertmanager('firing', 'fp-w', { severity: 'warning', service: 'web' }));
    await untilExecutions(s, other, 1);
    expect(await executionsOf(s, wf)).toHaveLength(1);
  });

  it('Grafana: checks X-Grafana-Alerting-Signature (with timestamp) over the raw body', async () => {
    const wf = await deployActive(s, echoWorkflow('Grafana', {
      trigger_type: 'alert', path: 'grafana', format: 'grafana',
      auth: { mode: 'grafana', secret: 'gf', timestamp_header: 'x-grafana-alerting-signature-timestamp' },
    }));
    const body = JSON.stringify({ ...alertmanager('firing', 'g-1'), orgId: 1, title: '[FIRING:1] DiskFull', state: 'alerting', message: 'disk' });
    const ts = String(Math.floor(Date.now() / 1000));
    const wrong = await post('grafana', body, { 'x-grafana-alerting-signature': hmacHex('gf', body), 'x-grafana-alerting-signature-timestamp': ts });
    expect(wrong.status).toBe(401);
    const ok = await post('grafana', body, { 'x-grafana-alerting-signature': hmacHex('gf', `${ts}:${body}`), 'x-grafana-alerting-signature-timestamp': ts });
    expect(ok.status).toBe(200);
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({ format: 'grafana', group: { title: '[FIRING:1] DiskFull', org_id: 1 } });
  });

  it('PagerDuty Events v2: 202 with the dedup key; invalid events answer 400 "invalid event"; wrong routing key refused', async () => {
    const wf = await deployActive(s, echoWorkflow('PD', { trigger_type: 'alert', path: 'pd', auth: { mode: 'none' }, routing_key: 'R0UTING' }));
    const event = { routing_key: 'R0UTING', event_action: 'trigger', dedup_key: 'pd-1', payload: { summary: 'CPU high', source: 'web-1', severity: 'error' } };
    const r = await post('pd', event);
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ status: 'success', message: 'Event processed', dedup_key: 'pd-1' });
    expect((await post('pd', event)).status).toBe(202);
    const invalid = await post('pd', { routing_key: 'R0UTING', event_action: 'trigger', payload: { source: 'x', severity: 'loud' } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ status: 'invalid event', errors: expect.arrayContaining([expect.stringContaining('summary')]) });
    expect((await post('pd', { ...event, routing_key: 'other' })).status).toBe(400);
    expect((await post('pd', '{"routing_key":')).status).toBe(400);
    await untilExecutions(s, wf, 1);
    await sleep(100);
    expect(await executionsOf(s, wf)).toHaveLength(1);
  });

  it('Alertmanager labels.service and annotations.description become the incident\'s service and description', async () => {
    // https://prometheus.io/docs/alerting/latest/configuration/#webhook_config: each alert carries `labels` and `annotations`.
    const wf = await deployActive(s, echoWorkflow('Described', { trigger_type: 'alert', path: 'am-desc', auth: { mode: 'none' } }));
    const body = alertmanager('firing', 'fp-desc', { service: 'payments' });
    body.alerts[0]!.annotations = { summary: 'disk 95% full', description: 'The /var volume on db-1 is 95% full' } as typeof body.alerts[0]['annotations'];
    expect((await post('am-desc', body)).status).toBe(200);
    const [run] = await untilExecutions(s, wf, 1);
    const incidentId = (run!.input_data as { incident: { id: string } }).incident.id;
    const incident = await s.call('GET', `/automation/incidents/${incidentId}`);
    expect(incident.body).toMatchObject({ service: 'payments', description: 'The /var volume on db-1 is 95% full' });
  });

  it('PagerDuty webhooks v3 preset: v1= signatures (any of several), X-Webhook-Id dedup, incident.triggered/acknowledged/resolved mapped', async () => {
    const wf = await deployActive(s, echoWorkflow('PD v3', { trigger_type: 'alert', path: 'pdv3', format: 'pagerduty_webhook', auth: { mode: 'pagerduty', secret: 'pd-new' }, fire_on: ['new', 'resolved'] }));
    const unsigned = await s.call('POST', '/automation/workflows', { body: echoWorkflow('PD v3 header', { trigger_type: 'alert', path: 'pdv3h', format: 'pagerduty_webhook', auth: { mode: 'header', token: 't' } }) });
    // Activation's preflight refuses a config the source cannot run, naming the field (issue 13).
    const refused = await s.call('POST', `/automation/workflows/${unsigned.body.id}/activate`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ code: 'trigger_config_invalid', path: '/nodes/0/config/auth/mode', message: expect.stringContaining('use mode pagerduty') })]);
    // Payload of https://developer.pagerduty.com/docs/webhooks-overview ("Webhook Payload", incident.triggered sample).
    const event = (type: string, id: string) => ({
      event: {
        id, event_type: type, resource_type: 'incident', occurred_at: '2020-10-02T18:45:22.169Z', agent: null, client: null,
        data: {
          id: 'PGR0VU2', type: 'incident', self: 'https://api.pagerduty.com/incidents/PGR0VU2', html_url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
          number: 2, status: type.split('.')[1], incident_key: 'd3640fbd41094207a1c11e58e46b1662', created_at: '2020-04-09T15:16:27Z',
          title: 'A little bump in the road', urgency: 'high', conference_bridge: null, resolve_reason: null,
          service: { html_url: 'https://acme.pagerduty.com/services/PF9KMXH', id: 'PF9KMXH', self: 'https://api.pagerduty.com/services/PF9KMXH', summary: 'API Service', type: 'service_reference' },
        },
      },
    });
    // "Verifying Signatures": X-PagerDuty-Signature is v1=<hex HMAC-SHA256(secret, raw body)>, several while a secret rotates.
    const send = (body: unknown, webhookId: string, sigs: (raw: string) => string) => {
      const raw = JSON.stringify(body);
      return post('pdv3', raw, { 'x-pagerduty-signature': sigs(raw), 'x-webhook-id': webhookId });
    };
    const triggered = event('incident.triggered', '01DEN7DXPR3BHEDEA4HKRRPHZL');
    expect((await post('pdv3', JSON.stringify(triggered), { 'x-webhook-id': 'w-x' })).status).toBe(401);
    expect((await send({ event: { event_type: 'incident.triggered', data: 'x' } }, 'w-h', (raw) => `v1=${hmacHex('pd-new', raw)}`)).status).toBe(400);
    expect((await send(triggered, 'w-0', (raw) => `v1=${hmacHex('pd-old', raw)}`)).status).toBe(401);
    expect((await send(triggered, 'w-1', (raw) => `v1=${hmacHex('pd-old', raw)},v1=${hmacHex('pd-new', raw)}`)).status).toBe(200);
    const retry = await send(triggered, 'w-1', (raw) => `v1=${hmacHex('pd-new', raw)}`);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ duplicate: true });
    const [run] = await untilExecutions(s, wf, 1);
    expect(run!.input_data).toMatchObject({
      format: 'pagerduty_webhook', action: 'trigger', alert: { dedup_key: 'pagerduty:PGR0VU2', severity: 'critical', summary: 'A little bump in the road', source: 'API Service', count: 1 },
    });
    const incidentId = (run!.input_data as { incident: { id: string } }).incident.id;
    expect((await send(event('incident.acknowledged', '01DEN7DXPR3BHEDEA4HKRRPHZM'), 'w-2', (raw) => `v1=${hmacHex('pd-new', raw)}`)).status).toBe(200);
    expect((await s.call('GET', `/automation/incidents/${incidentId}`)).body).toMatchObject({ status: 'acknowledged', service: 'API Service' });
    expect((await send(event('incident.resolved', '01DEN7DXPR3BHEDEA4HKRRPHZN'), 'w-3', (raw) => `v1=${hmacHex('pd-new', raw)}`)).status).toBe(200);
    const runs = await untilExecutions(s, wf, 2);
    expect(runs.map((r) => (r.input_data as { action: string }).action).sort()).toEqual(['resolve', 'trigger']);
    expect((await s.call('GET', `/automation/incidents/${incidentId}`)).body).toMatchObject({ status: 'resolved' });
  });
});
