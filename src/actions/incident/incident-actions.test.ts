import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json, type Recorded } from '../../../test/support/http-fixture.js';
import { DIALECTS, incidentDb, serviceOver, type IncidentDb } from '../../../test/incidents/incident-db.js';
import { FakeClock } from '../../engine/clock.js';
import type { IncidentService } from '../../incidents/incident-service.js';
import type { ResolvedCredential } from '../../model/credentials.js';
import type { Store } from '../../store/connect.js';
import { testContext } from '../communication/test-context.js';
import { assignIncidentAction } from './assign-incident-action.js';
import { createIncidentAction } from './create-incident-action.js';
import { escalateIncidentAction } from './escalate-incident-action.js';
import { ProviderSync } from '../../incidents/provider-sync.js';
import { providerSender } from './provider-sender.js';
import { NO_INCIDENTS, type IncidentPort } from './incident-port.js';
import { resolveIncidentAction } from './resolve-incident-action.js';
import { updateIncidentAction } from './update-incident-action.js';
import { LOOPBACK, testServices } from '../../../test/support/loopback-egress.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';

/** The incident module of the dialect under test. */
let incidents: IncidentPort = NO_INCIDENTS;

/** A step's context with the engine's key shape `execution:node:scope:attempt`. */
function step<P>(params: P, key: string, credentials: readonly ResolvedCredential[] = []) {
  const { ctx, lines } = testContext(params, credentials, testServices({ incidents }));
  return { ctx: { ...ctx, idempotencyKey: key }, lines };
}

/** PagerDuty Events API v2: checks the body as the real endpoint does, scripted failures by summary. */
function pagerDuty(req: Recorded, res: ServerResponse): void {
  const body = JSON.parse(req.body) as { routing_key?: string; event_action?: string; dedup_key?: string; payload?: { summary?: string; source?: string; severity?: string } };
  if (req.method !== 'POST' || req.url !== '/v2/enqueue') return json(res, 404, { status: 'not found' });
  if (body.routing_key !== ROUTING_KEY) return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] });
  if (body.event_action === 'trigger') {
    if (body.payload?.summary?.includes('rate limited')) return json(res, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' }, { 'retry-after': '7' });
    if (!body.payload?.summary || !body.payload.source || !body.payload.severity) {
      return json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['payload.summary, source and severity are required'] });
    }
  }
  json(res, 202, { status: 'success', message: 'Event processed', dedup_key: body.dedup_key });
}

describe.each(DIALECTS)('incident actions on %s', (dialect) => {
  let db: IncidentDb;
  let store: Store;
  let service: IncidentService;
  let pd: Awaited<ReturnType<typeof httpFixture>>;
  let pdCred: ResolvedCredential;

  beforeAll(async () => {
    db = incidentDb(dialect);
    store = await db.open();
    service = serviceOver(store, new FakeClock());
    incidents = service;
    pd = await httpFixture(pagerDuty);
    pdCred = { id: 'cred_pd', type: 'pagerduty', data: { routing_key: ROUTING_KEY, base_url: pd.url } };
  });

  afterAll(async () => {
    incidents = NO_INCIDENTS;
    await pd.close();
    await store.close();
    await db.dispose();
  });

  it('create_incident opens an incident once per step, across re-dispatch and retry', async () => {
    const params = { title: 'Payments 5xx', severity: 'critical' as const, service: 'payments', assignee: 'dana' };
    const first = await createIncidentAction.run(step(params, 'ex_1:open:0:1').ctx);
    expect(first).toMatchObject({ status: 'triggered', severity: 'critical', created: true, external_refs: {} });
    expect(first.key).toBe(`INC-${first.number}`);
    // Same attempt dispatched again, then a retry (attempt 2): the same incident.
    expect(await createIncidentAction.run(step(params, 'ex_1:open:0:1').ctx)).toEqual(first);
    expect(await createIncidentAction.run(step(params, 'ex_1:open:0:2').ctx)).toEqual(first);
    const other = await createIncidentAction.run(step(params, 'ex_2:open:0:1').ctx);
    expect(other.incident_id).not.toBe(first.incident_id);

    const detail = await service.getIncident(first.incident_id);
    expect(detail).toMatchObject({ assignee: 'dana', service: 'payments' });
    expect(detail?.timeline.map((e) => [e.kind, e.actor])).toEqual([
      ['triggered', 'execution:ex_1'],
      ['assigned', 'execution:ex_1'],
    ]);
  });

  it('create_incident with a dedup_key returns the open incident with created: false', async () => {
    const params = { title: 'Disk 95%', severity: 'warning' as const, dedup_key: 'disk-db-2' };
    const a = await createIncidentAction.run(step(params, 'ex_3:open:0:1').ctx);
    const b = await createIncidentAction.run(step(params, 'ex_4:open:0:1').ctx);
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ incident_id: a.incident_id, created: false });
    expect((await service.getIncident(a.incident_id))?.alerts[0]).toMatchObject({ dedup_key: 'disk-db-2', count: 2 });
  });

  it('update_incident changes fields and adds a note, once per step', async () => {
    const { incident_id } = await createIncidentAction.run(step({ title: 'Slow search', severity: 'warning' as const }, 'ex_5:open:0:1').ctx);
    const params = { incident_id, severity: 'error' as const, note: 'p99 at 4s' };
    const out = await updateIncidentAction.run(step(params, 'ex_5:update:0:1').ctx);
    await updateIncidentAction.run(step(params, 'ex_5:update:0:1').ctx);
    expect(out).toMatchObject({ incident_id, severity: 'error', title: 'Slow search' });
    const timeline = (await service.getIncident(incident_id))!.timeline;
    expect(timeline.map((e) => e.kind)).toEqual(['triggered', 'updated', 'note']);
    expect(timeline[2]?.data).toEqual({ text: 'p99 at 4s' });
    await expect(updateIncidentAction.run(step({ incident_id }, 'ex_5:u2:0:1').ctx)).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('assign_incident and escalate_incident record on the timeline; escalate moves one level per step', async () => {
    const policy = await service.policies.create({
      name: `actions ${dialect}`,
      levels: [
        { delay_minutes: 5, targets: [{ type: 'email', value: 'a@example.com' }] },
        { delay_minutes: 5, targets: [{ type: 'email', value: 'b@example.com' }] },
      ],
    });
    const created = await createIncidentAction.run(step({ title: 'Login down', severity: 'critical' as const, escalation_policy_id: policy.id }, 'ex_6:open:0:1').ctx);
    const id = created.incident_id;
    expect(await assignIncidentAction.run(step({ incident_id: id, assignee: 'erin' }, 'ex_6:assign:0:1').ctx)).toMatchObject({ assignee: 'erin' });
    const esc = await escalateIncidentAction.run(step({ incident_id: id, reason: 'no ack' }, 'ex_6:esc:0:1').ctx);
    expect(esc).toMatchObject({ incident_id: id, escalation_level: 1, status: 'triggered' });
    expect(await escalateIncidentAction.run(step({ incident_id: id, reason: 'no ack' }, 'ex_6:esc:0:2').ctx)).toMatchObject({ escalation_level: 1 });
    const kinds = (await service.getIncident(id))!.timeline.map((e) => e.kind);
    expect(kinds).toEqual(['triggered', 'assigned', 'escalated']);
  });

  it('resolve_incident resolves the incident and its alerts', async () => {
    const { incident_id } = await createIncidentAction.run(step({ title: 'Queue stuck', severity: 'error' as const, dedup_key: 'queue-1' }, 'ex_7:open:0:1').ctx);
    const out = await resolveIncidentAction.run(step({ incident_id, resolution: 'restarted consumer' }, 'ex_7:resolve:0:1').ctx);
    expect(out).toMatchObject({ incident_id, status: 'resolved', forwarded: [] });
    expect(out.resolved_at).toBeGreaterThan(0);
    const detail = await service.getIncident(incident_id);
    expect(detail?.alerts[0]?.status).toBe('resolved');
    expect(detail?.timeline.at(-1)).toMatchObject({ kind: 'resolved', data: { resolution: 'restarted consumer' } });
  });

  it('fails with incident_not_found (not retryable) for an unknown incident', async () => {
    const runs = [
      () => updateIncidentAction.run(step({ incident_id: 'inc_missing', note: 'x' }, 'ex_8:a:0:1').ctx),
      () => assignIncidentAction.run(step({ incident_id: 'inc_missing', assignee: 'x' }, 'ex_8:b:0:1').ctx),
      () => escalateIncidentAction.run(step({ incident_id: 'inc_missing' }, 'ex_8:c:0:1').ctx),
      () => resolveIncidentAction.run(step({ incident_id: 'inc_missing' }, 'ex_8:d:0:1').ctx),
    ];
    for (const r of runs) await expect(r()).rejects.toMatchObject({ code: 'incident_not_found', retryable: false });
  });

  it('forwards to PagerDuty Events v2 on create and resolve, keeping the dedup key on the incident', async () => {
    pd.requests.length = 0;
    const params = { title: 'API latency', severity: 'error' as const, service: 'api', description: 'p99 > 2s', provider_credential_id: 'cred_pd' };
    const out = await createIncidentAction.run(step(params, 'ex_9:open:0:1', [pdCred]).ctx);
    expect(pd.requests).toHaveLength(1);
    expect(pd.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(pd.requests[0]!.body)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: out.incident_id,
      payload: {
        summary: `[${out.key}] API latency`,
        source: 'api',
        severity: 'error',
        component: 'api',
        custom_details: { incident_id: out.incident_id, incident: out.key, service: 'api', description: 'p99 > 2s' },
      },
      client: 'iTechSmart Workflow',
    });
    expect(out.external_refs).toEqual({ pagerduty: { id: out.incident_id } });

    // A retried step finds the forward done and does not send again.
    await createIncidentAction.run(step(params, 'ex_9:open:0:2', [pdCred]).ctx);
    expect(pd.requests).toHaveLength(1);

    // The resolve is queued with the state change and sent by the incident sync outbox (issue 18).
    const sync = ProviderSync.over(store.db, service, { clock: new FakeClock(), send: providerSender({ get: () => Promise.resolve(pdCred) }, LOOPBACK) });
    sync.start();
    const resolved = await resolveIncidentAction.run(step({ incident_id: out.incident_id }, 'ex_9:resolve:0:1', [pdCred]).ctx);
    expect(resolved.forwarded).toEqual(['pagerduty']);
    await sync.drain();
    await sync.stop();
    expect(JSON.parse(pd.requests[1]!.body)).toMatchObject({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: out.incident_id });
    const notified = (await service.getIncident(out.incident_id))!.timeline.filter((e) => e.kind === 'notified');
    expect(notified.map((e) => e.data)).toEqual([
      { provider: 'pagerduty', action: 'trigger', external_id: out.incident_id },
      { provider: 'pagerduty', action: 'resolve', external_id: out.incident_id, attempt: 1 },
    ]);
  });

  it('reports PagerDuty 400 as not retryable and 429 as retryable, never showing the routing key', async () => {
    const badCred = { ...pdCred, id: 'cred_bad', data: { ...pdCred.data, routing_key: 'WR0NGKEY0123456789abcdef0123456' } };
    const invalid = createIncidentAction.run(step({ title: 'x', severity: 'info' as const, provider_credential_id: 'cred_bad' }, 'ex_10:open:0:1', [badCred]).ctx);
    await expect(invalid).rejects.toMatchObject({ code: 'pagerduty_invalid', retryable: false });
    await expect(invalid).rejects.toThrow(/Invalid routing key/);

    const limited = createIncidentAction.run(step({ title: 'rate limited', severity: 'info' as const, provider_credential_id: 'cred_pd' }, 'ex_11:open:0:1', [pdCred]).ctx);
    await expect(limited).rejects.toMatchObject({ code: 'pagerduty_rate_limited', retryable: true, retryAfterMs: 7000 });
    await limited.catch((err: Error) => expect(JSON.stringify({ m: err.message, c: String(err.cause) })).not.toContain(ROUTING_KEY));
  });

  it('describes each step in plan()', async () => {
    const base = { log: testContext({}).ctx.log, idempotencyKey: 'ex:n:0:1' };
    expect(await createIncidentAction.plan!({ ...base, params: { title: 'DB down', severity: 'critical', dedup_key: 'db' } })).toBe(
      'open critical incident "DB down" (dedup key db)',
    );
    expect(await updateIncidentAction.plan!({ ...base, params: { incident_id: 'inc_1', severity: 'info', note: 'fixed' } })).toBe(
      'update incident inc_1: set severity; add note "fixed"',
    );
    expect(await assignIncidentAction.plan!({ ...base, params: { incident_id: 'inc_1', assignee: 'bob' } })).toBe('assign incident inc_1 to bob');
    expect(await escalateIncidentAction.plan!({ ...base, params: { incident_id: 'inc_1' } })).toBe('escalate incident inc_1 to its next level');
    expect(await resolveIncidentAction.plan!({ ...base, params: { incident_id: 'inc_1', resolution: 'rollback' } })).toBe(
      'resolve incident inc_1: "rollback" (and at the providers it was forwarded to)',
    );
  });
});
