import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { DIALECTS } from '../support/harness.js';
import { httpFixture, json } from '../support/http-fixture.js';
import { startApiServer, type ApiServer } from './api-server.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';

/**
 * Acknowledge/resolve through the API reach PagerDuty (Events API v2,
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/: `{routing_key, event_action: acknowledge|resolve, dedup_key}`).
 */
describe.each(DIALECTS)('incident API keeps forwarded incidents in step at the provider ($name)', (dialect) => {
  let s: ApiServer;
  let pd: Awaited<ReturnType<typeof httpFixture>>;
  beforeAll(async () => {
    s = await startApiServer(dialect);
    pd = await httpFixture((req, res) => json(res, 202, { status: 'success', message: 'Event processed', dedup_key: (JSON.parse(req.body) as { dedup_key: string }).dedup_key }));
  });
  afterAll(async () => {
    await s.close();
    await pd.close();
  });

  it('operator acknowledge and resolve are sent; viewer and anonymous calls change and send nothing', async () => {
    const cred = await s.app.vault.create({ name: 'pd', type: 'pagerduty', data: { routing_key: ROUTING_KEY, base_url: pd.url }, allowed_hosts: ['127.0.0.1'] });
    const created = await s.call('POST', '/automation/incidents', { as: 'operator', body: { title: 'Checkout down', severity: 'critical' } });
    const id = String(created.body.id);
    // Forwarded as create_incident does it (that action's own test covers the trigger).
    await s.app.incidents.recordForwarding(id, 'trigger', { provider: 'pagerduty', id, credential_id: cred.id });

    expect((await s.call('POST', `/automation/incidents/${id}/acknowledge`, { as: 'viewer' })).status).toBe(403);
    expect((await s.call('POST', `/automation/incidents/${id}/resolve`, { as: null })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(pd.requests).toHaveLength(0);

    expect((await s.call('POST', `/automation/incidents/${id}/acknowledge`, { as: 'operator' })).status).toBe(200);
    await eventually('the acknowledge at PagerDuty', () => Promise.resolve(pd.requests.length), (n) => n === 1);
    expect((await s.call('POST', `/automation/incidents/${id}/resolve`, { as: 'operator', body: { resolution: 'rolled back' } })).status).toBe(200);
    await eventually('the resolve at PagerDuty', () => Promise.resolve(pd.requests.length), (n) => n === 2);
    expect(pd.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>)).toEqual([
      { routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: id, client: 'iTechSmart Workflow' },
      { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: id, client: 'iTechSmart Workflow' },
    ]);
    type Detail = { timeline: Array<{ kind: string; data: Record<string, unknown> | null }> };
    const notified = (d: Detail) => d.timeline.filter((e) => e.kind === 'notified').map((e) => e.data?.['action']);
    const d = await eventually('both sends on the timeline', async () => (await s.call('GET', `/automation/incidents/${id}`, { as: 'viewer' })).body as Detail, (v) => notified(v).length === 3);
    expect(notified(d)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(JSON.stringify(d)).not.toContain(ROUTING_KEY);
  });
});
