import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSender } from '../../src/actions/incident/provider-sender.js';
import { FakeClock } from '../../src/engine/clock.js';
import type { IncidentService } from '../../src/incidents/incident-service.js';
import { ProviderSync } from '../../src/incidents/provider-sync.js';
import type { ResolvedCredential } from '../../src/model/credentials.js';
import type { Store } from '../../src/store/connect.js';
import { httpFixture, json, type Recorded } from '../support/http-fixture.js';
import { LOOPBACK } from '../support/loopback-egress.js';
import { DIALECTS, incidentDb, serviceOver, type IncidentDb } from './incident-db.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';
const GENIE_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';
const SN_TOKEN = 'servicenow-oauth-token-Zm9vYmFy';

/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/, "Acknowledge
 * and resolve events": `{routing_key, event_action, dedup_key}`, 202; 429 "throttle event" to retry).
 * `script` holds the answers to give first, e.g. [429] or [400].
 */
function pagerDuty(script: number[]) {
  return (req: Recorded, res: ServerResponse): void => {
    const body = JSON.parse(req.body) as { routing_key?: string; event_action?: string; dedup_key?: string };
    if (req.url !== '/v2/enqueue' || body.routing_key !== ROUTING_KEY || !body.dedup_key || !['acknowledge', 'resolve'].includes(body.event_action ?? '')) {
      return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['bad event'] });
    }
    const scripted = script.shift();
    if (scripted === 429) return json(res, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }, { 'retry-after': '40' });
    if (scripted === 400) return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['scripted'] });
    json(res, 202, { status: 'success', message: 'Event processed', dedup_key: body.dedup_key });
  };
}

/** Opsgenie Alert API (https://docs.opsgenie.com/docs/alert-api, "Acknowledge Alert" / "Close Alert" by alias). */
function opsgenie(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `GenieKey ${GENIE_KEY}`) return json(res, 401, { message: 'Could not authenticate' });
  if (!/^\/v2\/alerts\/[^/]+\/(acknowledge|close)\?identifierType=alias$/.test(req.url)) return json(res, 404, { message: 'not found' });
  json(res, 202, { result: 'Request will be processed', took: 0.01, requestId: 'req-1' });
}

/** ServiceNow Table API (https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI, PATCH /api/now/table/{tableName}/{sys_id}). */
function serviceNow(req: Recorded, res: ServerResponse): void {
  if (req.headers.authorization !== `Bearer ${SN_TOKEN}`) return json(res, 401, { error: { message: 'User Not Authenticated' }, status: 'failure' });
  if (req.method === 'PATCH' && req.url === '/api/now/table/incident/a1b2c3') return json(res, 200, { result: { sys_id: 'a1b2c3' } });
  json(res, 404, { error: { message: 'No Record found' }, status: 'failure' });
}

describe.each(DIALECTS)('incident state changes reach the providers (%s)', (dialect) => {
  let db: IncidentDb;
  let store: Store;
  let pd: Awaited<ReturnType<typeof httpFixture>>;
  let og: Awaited<ReturnType<typeof httpFixture>>;
  let sn: Awaited<ReturnType<typeof httpFixture>>;
  const pdScript: number[] = [];
  let creds: Record<string, ResolvedCredential>;

  beforeAll(async () => {
    db = incidentDb(dialect);
    store = await db.open();
    pd = await httpFixture(pagerDuty(pdScript));
    og = await httpFixture(opsgenie);
    sn = await httpFixture(serviceNow);
    creds = {
      cred_pd: { id: 'cred_pd', type: 'pagerduty', data: { routing_key: ROUTING_KEY, base_url: pd.url } },
      cred_og: { id: 'cred_og', type: 'opsgenie', data: { api_key: GENIE_KEY, base_url: og.url } },
      cred_sn: { id: 'cred_sn', type: 'servicenow', data: { base_url: sn.url, bearer_token: SN_TOKEN } },
    };
  });
  afterAll(async () => {
    await Promise.all([pd.close(), og.close(), sn.close()]);
    await store.close();
    await db.dispose();
  });

  const credentials = { get: (id: string) => Promise.resolve(creds[id]!) };
  const setup = () => {
    const clock = new FakeClock();
    const service = serviceOver(store, clock);
    const sync = ProviderSync.over(store.db, service, { clock, send: providerSender(credentials, LOOPBACK), maxAttempts: 3 });
    return { clock, service, sync };
  };
  const forwarded = async (service: IncidentService, providers: Array<'pagerduty' | 'opsgenie' | 'servicenow'>) => {
    const { incident } = await service.createIncident({ title: 'Checkout down', severity: 'critical' });
    for (const p of providers) {
      const ref = { pagerduty: { id: incident.id, credential_id: 'cred_pd' }, opsgenie: { id: `alias-${incident.id}`, credential_id: 'cred_og' }, servicenow: { id: 'a1b2c3', key: 'INC0010042', credential_id: 'cred_sn' } }[p];
      await service.recordForwarding(incident.id, 'trigger', { provider: p, ...ref });
    }
    return incident;
  };
  const syncRows = (incidentId: string) => store.db.selectFrom('incident_sync').selectAll().where('incident_id', '=', incidentId).execute();

  it('acknowledge and resolve made through the service (API/UI path) are sent to PagerDuty, Opsgenie and ServiceNow', async () => {
    const { service, sync } = setup();
    sync.start();
    const incident = await forwarded(service, ['pagerduty', 'opsgenie', 'servicenow']);
    const before = [pd.requests.length, og.requests.length, sn.requests.length];
    await service.acknowledgeIncident(incident.id, { actor: 'user:dana' });
    await sync.drain();
    await service.resolveIncident(incident.id, { actor: 'user:dana', resolution: 'rolled back' });
    await sync.drain();
    await sync.stop();
    const pdSent = pd.requests.slice(before[0]).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(pdSent).toEqual([
      { routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: incident.id, client: 'iTechSmart Workflow' },
      { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: incident.id, client: 'iTechSmart Workflow' },
    ]);
    expect(og.requests.slice(before[1]).map((r) => r.url)).toEqual([
      `/v2/alerts/alias-${incident.id}/acknowledge?identifierType=alias`, `/v2/alerts/alias-${incident.id}/close?identifierType=alias`,
    ]);
    expect(JSON.parse(og.requests.at(-1)!.body)).toEqual({ source: 'iTechSmart Workflow', note: 'rolled back' });
    expect(sn.requests.slice(before[2]).map((r) => JSON.parse(r.body) as Record<string, unknown>)).toEqual([
      { state: '2', work_notes: 'Acknowledged in iTechSmart Workflow' },
      { state: '6', close_code: 'Solution provided', close_notes: 'rolled back' },
    ]);
    const timeline = (await service.getIncident(incident.id))!.timeline.filter((e) => e.kind === 'notified' && e.data?.['action'] !== 'trigger');
    expect(timeline.map((e) => `${String(e.data?.['provider'])}:${String(e.data?.['action'])}`).sort()).toEqual([
      'opsgenie:acknowledge', 'opsgenie:resolve', 'pagerduty:acknowledge', 'pagerduty:resolve', 'servicenow:acknowledge', 'servicenow:resolve',
    ]);
  });

  it('an Alertmanager-style alert resolve resolves the incident and sends the resolve', async () => {
    const { service, sync } = setup();
    sync.start();
    const { incident } = await service.createIncident({ title: 'Disk full', severity: 'error', dedup_key: `am-${dialect}` });
    await service.recordForwarding(incident.id, 'trigger', { provider: 'pagerduty', id: incident.id, credential_id: 'cred_pd' });
    const before = pd.requests.length;
    await service.ingestAlert({ action: 'resolve', dedup_key: `am-${dialect}` }, { actor: 'alert:alertmanager' });
    await sync.drain();
    await sync.stop();
    expect(pd.requests.slice(before).map((r) => (JSON.parse(r.body) as { event_action: string }).event_action)).toEqual(['resolve']);
  });

  it('a 429 is retried after its Retry-After, every attempt on the timeline; a 400 is given up at once', async () => {
    const { service, sync, clock } = setup();
    sync.start();
    const incident = await forwarded(service, ['pagerduty']);
    pdScript.push(429);
    const before = pd.requests.length;
    await service.acknowledgeIncident(incident.id);
    await sync.drain();
    expect(pd.requests.length - before).toBe(1);
    clock.advance(39_000);
    await sync.drain();
    expect(pd.requests.length - before).toBe(1);
    clock.advance(1_000);
    await sync.drain();
    expect(pd.requests.length - before).toBe(2);
    let timeline = (await service.getIncident(incident.id))!.timeline;
    expect(timeline.filter((e) => e.kind === 'sync_failed').map((e) => e.data)).toEqual([
      expect.objectContaining({ provider: 'pagerduty', action: 'acknowledge', attempt: 1, retry_at: clock.now() }),
    ]);
    expect(timeline.at(-1)).toMatchObject({ kind: 'notified', data: { provider: 'pagerduty', action: 'acknowledge', attempt: 2 } });

    pdScript.push(400);
    await service.resolveIncident(incident.id);
    await sync.drain();
    clock.advance(3_600_000);
    await sync.drain();
    await sync.stop();
    expect(pd.requests.length - before).toBe(3);
    timeline = (await service.getIncident(incident.id))!.timeline;
    expect(timeline.at(-1)).toMatchObject({ kind: 'sync_failed', data: { action: 'resolve', retry_at: null, error: expect.stringContaining('scripted') } });
    expect((await syncRows(incident.id)).map((r) => r.status).sort()).toEqual(['done', 'failed']);
    expect(JSON.stringify(timeline)).not.toContain(ROUTING_KEY);
  });

  it('two processes draining one outbox send each change once (claim with a lease)', async () => {
    const a = setup();
    const b = { ...setup(), clock: a.clock };
    const syncB = ProviderSync.over(store.db, b.service, { clock: a.clock, send: providerSender(credentials, LOOPBACK) });
    const incident = await forwarded(a.service, ['pagerduty']);
    const before = pd.requests.length;
    await a.service.acknowledgeIncident(incident.id);
    a.sync.start();
    syncB.start();
    await Promise.all([a.sync.drain(), syncB.drain()]);
    await Promise.all([a.sync.stop(), syncB.stop()]);
    expect(pd.requests.length - before).toBe(1);
  });

  it('an incident never forwarded queues nothing', async () => {
    const { service } = setup();
    const { incident } = await service.createIncident({ title: 'local only', severity: 'info' });
    await service.resolveIncident(incident.id);
    expect(await syncRows(incident.id)).toEqual([]);
  });
});
