import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import type { IncidentHookEvent } from '../../src/incidents/incident-hooks.js';
import type { IncidentService } from '../../src/incidents/incident-service.js';
import type { Store } from '../../src/store/connect.js';
import { DIALECTS, incidentDb, serviceOver, type IncidentDb } from './incident-db.js';

const trigger = (dedup_key: string | undefined, summary = 'Disk full on db-1') =>
  ({ action: 'trigger', dedup_key, source: 'db-1', severity: 'critical', summary, payload: { mount: '/var' } }) as const;

describe.each(DIALECTS)('IncidentService on %s', (dialect) => {
  let db: IncidentDb;
  let store: Store;
  let clock: FakeClock;
  let service: IncidentService;
  const hooks: IncidentHookEvent[] = [];

  beforeAll(async () => {
    db = incidentDb(dialect);
    store = await db.open();
    clock = new FakeClock();
    service = serviceOver(store, clock);
    service.onEvent((e) => void hooks.push(e));
  });

  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('deduplicates 100 triggers of one key into one alert with count 100 and one incident', async () => {
    const first = await service.ingestAlert(trigger('disk-db-1'));
    expect(first).toMatchObject({ created: true, incident_created: true, alert: { count: 1, status: 'triggered' } });
    for (let i = 1; i < 50; i++) {
      clock.advance(1000);
      const r = await service.ingestAlert(trigger('disk-db-1'));
      expect(r.created).toBe(false);
      expect(r.incident?.id).toBe(first.incident?.id);
    }
    // The other half concurrently: the upsert on the open-key index must not let two inserts race.
    const rest = await Promise.all(Array.from({ length: 50 }, () => service.ingestAlert(trigger('disk-db-1'))));
    expect(rest.every((r) => !r.created && r.incident?.id === first.incident?.id)).toBe(true);

    const detail = await service.getIncident(first.incident!.id);
    expect(detail?.alerts).toHaveLength(1);
    expect(detail?.alerts[0]).toMatchObject({ dedup_key: 'disk-db-1', count: 100, first_seen: first.alert!.first_seen, payload: { mount: '/var' } });
    expect(detail?.alerts[0]!.last_seen).toBeGreaterThanOrEqual(first.alert!.first_seen + 49_000);
    expect(detail?.timeline.filter((e) => e.kind === 'alert_repeated')).toHaveLength(99);
    const page = await service.listIncidents({ service: undefined, limit: 500 });
    expect(page.items.filter((i) => i.title === 'Disk full on db-1')).toHaveLength(1);
  });

  it('opens a new alert and incident for a key triggered again after resolve', async () => {
    const a = await service.ingestAlert(trigger('cpu-web-1', 'CPU high'));
    const resolved = await service.ingestAlert({ action: 'resolve', dedup_key: 'cpu-web-1' });
    expect(resolved.alert?.status).toBe('resolved');
    expect(resolved.incident).toMatchObject({ id: a.incident?.id, status: 'resolved' });

    const b = await service.ingestAlert(trigger('cpu-web-1', 'CPU high'));
    expect(b).toMatchObject({ created: true, incident_created: true, alert: { count: 1 } });
    expect(b.alert?.id).not.toBe(a.alert?.id);
    expect(b.incident?.id).not.toBe(a.incident?.id);
    expect(b.incident!.number).toBeGreaterThan(a.incident!.number);
  });

  it('gives a trigger without a key a fresh one, and can leave incidents out', async () => {
    const a = await service.ingestAlert(trigger(undefined), { opensIncident: false });
    const b = await service.ingestAlert(trigger(undefined), { opensIncident: false });
    expect(a).toMatchObject({ created: true, incident: null, incident_created: false });
    expect(a.alert?.dedup_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.alert?.dedup_key).not.toBe(a.alert?.dedup_key);
  });

  it('acknowledges and resolves by key, and ignores keys with no open alert', async () => {
    const t = await service.ingestAlert(trigger('mem-api'));
    const ack = await service.ingestAlert({ action: 'acknowledge', dedup_key: 'mem-api' });
    expect(ack.alert).toMatchObject({ id: t.alert?.id, status: 'acknowledged' });
    expect(ack.incident).toMatchObject({ id: t.incident?.id, status: 'acknowledged' });
    // Still open while acknowledged: a trigger increments it.
    expect((await service.ingestAlert(trigger('mem-api'))).alert).toMatchObject({ id: t.alert?.id, count: 2, status: 'acknowledged' });

    const res = await service.ingestAlert({ action: 'resolve', dedup_key: 'mem-api' });
    expect(res.incident?.status).toBe('resolved');
    expect(await service.ingestAlert({ action: 'resolve', dedup_key: 'mem-api' })).toMatchObject({ alert: null, incident: null });
    await expect(service.ingestAlert({ action: 'acknowledge' })).rejects.toMatchObject({ code: 'invalid_alert' });
    await expect(service.ingestAlert({ action: 'trigger', source: 'x', severity: 'critical' })).rejects.toMatchObject({ code: 'invalid_alert' });
  });

  it('runs the lifecycle triggered → acknowledged → resolved with a timeline row per change and hooks after commit', async () => {
    hooks.length = 0;
    const { incident, created } = await service.createIncident(
      { title: 'Checkout errors', severity: 'error', service: 'shop', description: '5xx at 20%' },
      { actor: 'alice' },
    );
    expect(created).toBe(true);
    expect(incident).toMatchObject({ status: 'triggered', key: `INC-${incident.number}`, service: 'shop', escalation_level: 0 });

    clock.advance(60_000);
    await service.assignIncident(incident.id, 'bob', { actor: 'alice' });
    await service.assignIncident(incident.id, 'bob', { actor: 'alice' }); // no change, no row
    await service.updateIncident(incident.id, { severity: 'critical', title: 'Checkout down' }, { actor: 'bob' });
    const acked = await service.acknowledgeIncident(incident.id, { actor: 'bob' });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledged_at: clock.now(), assignee: 'bob', severity: 'critical' });
    await service.addNote(incident.id, 'rolled back v42', { actor: 'bob' });
    clock.advance(60_000);
    const resolved = await service.resolveIncident(incident.id, { actor: 'bob', resolution: 'rollback' });
    expect(resolved).toMatchObject({ status: 'resolved', resolved_at: clock.now() });
    await expect(service.acknowledgeIncident(incident.id)).rejects.toMatchObject({ code: 'incident_resolved' });

    const detail = await service.getIncident(incident.id);
    expect(detail?.timeline.map((e) => [e.kind, e.actor])).toEqual([
      ['triggered', 'alice'],
      ['assigned', 'alice'],
      ['updated', 'bob'],
      ['acknowledged', 'bob'],
      ['note', 'bob'],
      ['resolved', 'bob'],
    ]);
    expect(detail?.timeline[2]?.data).toEqual({ changes: { severity: { from: 'error', to: 'critical' }, title: { from: 'Checkout errors', to: 'Checkout down' } } });
    expect(detail?.timeline[5]?.data).toMatchObject({ resolution: 'rollback' });
    expect(hooks.map((h) => h.type)).toEqual(['incident.created', 'incident.acknowledged', 'incident.resolved']);
    expect(hooks[2]).toMatchObject({ incident: { id: incident.id, status: 'resolved' }, actor: 'bob', data: { resolution: 'rollback' } });
  });

  it('returns the same incident for a repeated step key or an open dedup key', async () => {
    const input = { title: 'Queue backlog', severity: 'warning' as const };
    const a = await service.createIncident(input, { idempotencyKey: 'ex1:create:' });
    const again = await service.createIncident(input, { idempotencyKey: 'ex1:create:' });
    expect(again).toEqual({ incident: a.incident, created: true });

    const d1 = await service.createIncident({ ...input, dedup_key: 'backlog' });
    const d2 = await service.createIncident({ ...input, dedup_key: 'backlog' });
    expect(d1.created).toBe(true);
    expect(d2).toMatchObject({ created: false, incident: { id: d1.incident.id } });

    await service.addNote(a.incident.id, 'once', { idempotencyKey: 'ex1:note:' });
    await service.addNote(a.incident.id, 'once', { idempotencyKey: 'ex1:note:' });
    const notes = (await service.getIncident(a.incident.id))?.timeline.filter((e) => e.kind === 'note');
    expect(notes).toHaveLength(1);
  });

  it('lists with filters and cursor pagination, newest first', async () => {
    for (let i = 0; i < 5; i++) await service.createIncident({ title: `paged ${i}`, severity: 'info', service: 'pager-test' });
    const first = await service.listIncidents({ service: 'pager-test', limit: 2 });
    expect(first.items.map((i) => i.title)).toEqual(['paged 4', 'paged 3']);
    const second = await service.listIncidents({ service: 'pager-test', limit: 2, cursor: first.next_cursor! });
    expect(second.items.map((i) => i.title)).toEqual(['paged 2', 'paged 1']);
    const third = await service.listIncidents({ service: 'pager-test', limit: 2, cursor: second.next_cursor! });
    expect(third).toMatchObject({ items: [{ title: 'paged 0' }], next_cursor: null });
    const resolvedCritical = await service.listIncidents({ status: ['resolved'], severity: ['critical'] });
    expect(resolvedCritical.items.length).toBeGreaterThan(0);
    expect(resolvedCritical.items.every((i) => i.status === 'resolved' && i.severity === 'critical')).toBe(true);
  });

  it('refuses an incident without a title or with an unknown severity', async () => {
    await expect(service.createIncident({ title: ' ', severity: 'info' })).rejects.toMatchObject({ code: 'invalid_incident' });
    const { incident } = await service.createIncident({ title: 'ok', severity: 'info' });
    await expect(service.updateIncident(incident.id, { severity: 'fatal' as never })).rejects.toMatchObject({ code: 'invalid_incident' });
  });

  it('fails with incident_not_found for an unknown id', async () => {
    await expect(service.assignIncident('inc_nope', 'x')).rejects.toMatchObject({ code: 'incident_not_found', retryable: false });
    expect(await service.getIncident('inc_nope')).toBeUndefined();
  });
});
