import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { n, wf } from '../support/graphs.js';
import { DIALECTS, openHarness, type Harness } from '../support/harness.js';
import { httpFixture, json } from '../support/http-fixture.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';

/**
 * Vendor 429/5xx are retried with the vendor's guidance under default node settings (no `retry` on
 * the node, no retry_on_failure on the workflow). PagerDuty Events API v2
 * (https://developer.pagerduty.com/docs/events-api-v2/overview/, "Response Codes & Retry Logic"):
 * 429 and 5xx are to be retried, at least 30 s apart.
 */
describe.each(DIALECTS)('vendor retry defaults ($label)', (dialect) => {
  let h: Harness;
  let pd: Awaited<ReturnType<typeof httpFixture>>;
  let throttle = 0;
  beforeAll(async () => {
    h = await openHarness(dialect);
    pd = await httpFixture((req, res) => {
      const body = JSON.parse(req.body) as { dedup_key: string; routing_key: string };
      if (body.routing_key !== ROUTING_KEY) return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] });
      if (throttle-- > 0) return json(res, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' });
      json(res, 202, { status: 'success', message: 'Event processed', dedup_key: body.dedup_key });
    });
  });
  afterAll(async () => {
    await pd.close();
    await h.close();
  });

  it('a create_incident forward throttled twice by PagerDuty completes on the third attempt, 30 s apart', async () => {
    const cred = await h.app.vault.create({ name: `pd-${Math.random()}`, type: 'pagerduty', data: { routing_key: ROUTING_KEY, base_url: pd.url }, allowed_hosts: ['127.0.0.1'] });
    throttle = 2;
    const before = pd.requests.length;
    const r = await h.run(wf([n('open', 'action', { action_type: 'create_incident', params: { title: 'API down', severity: 'critical', provider_credential_id: cred.id } })], []));
    expect(r.execution.status).toBe('completed');
    const attempts = r.attempts('open');
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'completed']);
    expect(attempts[0]!.error).toMatchObject({ retryable: true });
    expect(attempts[1]!.started_at! - attempts[0]!.started_at!).toBeGreaterThanOrEqual(30_000);
    expect(attempts[2]!.started_at! - attempts[1]!.started_at!).toBeGreaterThanOrEqual(30_000);
    expect(pd.requests.length - before).toBe(3);
  });

  it('a PagerDuty 400 (invalid event) is not retried', async () => {
    const cred = await h.app.vault.create({ name: `pd-bad-${Math.random()}`, type: 'pagerduty', data: { routing_key: 'WR0NGKEY0123456789abcdef0123456', base_url: pd.url }, allowed_hosts: ['127.0.0.1'] });
    const r = await h.run(wf([n('open', 'action', { action_type: 'create_incident', params: { title: 'x', severity: 'info', provider_credential_id: cred.id } })], []));
    expect(r.execution.status).toBe('failed');
    expect(r.attempts('open')).toHaveLength(1);
  });
});
