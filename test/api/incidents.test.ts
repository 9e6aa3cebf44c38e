import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/harness.js';
import { startApiServer, type ApiServer } from './api-server.js';

const POLICY = {
  name: 'Web on-call',
  description: 'primary, then the team lead',
  levels: [
    { delay_minutes: 15, targets: [{ type: 'email', value: 'oncall@example.com', credential_id: 'smtp' }] },
    { delay_minutes: 30, targets: [{ type: 'sms', value: '+15550100' }] },
  ],
  repeat: 1,
};

const kinds = (body: { timeline: Array<{ kind: string }> }) => body.timeline.map((e) => e.kind);

describe.each(DIALECTS)('incidents, alerts and escalation policies API ($name)', (dialect) => {
  let s: ApiServer;
  beforeAll(async () => { s = await startApiServer(dialect); });
  afterAll(async () => { await s.close(); });

  it('manages escalation policies: editors change them, names are unique, bad levels name the field', async () => {
    expect((await s.call('POST', '/automation/escalation-policies', { as: 'operator', body: POLICY })).status).toBe(403);
    const created = await s.call('POST', '/automation/escalation-policies', { as: 'editor', body: POLICY });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...POLICY, id: expect.stringMatching(/^esc_/) });
    const id = String(created.body.id);
    expect((await s.call('GET', '/automation/escalation-policies', { as: 'viewer' })).body.items).toEqual([created.body]);
    expect((await s.call('GET', `/automation/escalation-policies/${id}`, { as: 'viewer' })).body).toEqual(created.body);

    const bad = await s.call('POST', '/automation/escalation-policies', { as: 'editor', body: { ...POLICY, name: 'x', levels: [{ delay_minutes: 0, targets: [] }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/levels/0/delay_minutes', '/levels/0/targets']);
    const clash = await s.call('POST', '/automation/escalation-policies', { as: 'editor', body: POLICY });
    expect(clash.status).toBe(400);
    expect(clash.body).toMatchObject({ code: 'invalid_policy', errors: [{ path: '/name' }] });

    const replaced = await s.call('PUT', `/automation/escalation-policies/${id}`, { as: 'editor', body: { ...POLICY, repeat: 0, levels: [POLICY.levels[1]] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ repeat: 0, levels: [POLICY.levels[1]] });
    expect((await s.call('DELETE', `/automation/escalation-policies/${id}`, { as: 'editor' })).status).toBe(204);
    const gone = await s.call('GET', `/automation/escalation-policies/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('escalation_policy_not_found');
    expect((await s.call('PUT', `/automation/escalation-policies/${id}`, { as: 'editor', body: POLICY })).status).toBe(404);
  });

  it('opens an incident and takes it through assign, note, acknowledge, escalate and resolve, all on its timeline', async () => {
    const opened = await s.call('POST', '/automation/incidents', { as: 'operator', body: { title: 'Checkout 500s', severity: 'critical', service: 'checkout' } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ title: 'Checkout 500s', severity: 'critical', status: 'triggered', service: 'checkout', key: `INC-${opened.body.number}` });
    expect(kinds(opened.body)).toEqual(['triggered']);
    expect(opened.body.timeline[0]).toMatchObject({ actor: 'test operator', data: { severity: 'critical' } });
    const path = `/automation/incidents/${opened.body.id}`;

    const edited = await s.call('PATCH', path, { as: 'operator', body: { severity: 'error', description: 'since the 14:02 deploy' } });
    expect(edited.body).toMatchObject({ severity: 'error', description: 'since the 14:02 deploy' });
    expect(edited.body.timeline[1]).toMatchObject({ kind: 'updated', data: { changes: { severity: { from: 'critical', to: 'error' } } } });
    expect((await s.call('PATCH', path, { as: 'operator', body: { severity: 'apocalyptic' } })).status).toBe(400);
    expect((await s.call('PATCH', path, { as: 'viewer', body: { title: 'x' } })).status).toBe(403);

    expect((await s.call('POST', `${path}/assign`, { as: 'operator', body: { assignee: 'alice' } })).body.assignee).toBe('alice');
    const noted = await s.call('POST', `${path}/notes`, { as: 'operator', body: { text: 'rolling back' } });
    expect(noted.body.timeline.at(-1)).toMatchObject({ kind: 'note', actor: 'test operator', data: { text: 'rolling back' } });
    const acked = await s.call('POST', `${path}/acknowledge`, { as: 'operator' });
    expect(acked.body).toMatchObject({ status: 'acknowledged', acknowledged_at: expect.any(String) });
    const escalated = await s.call('POST', `${path}/escalate`, { as: 'operator', body: { reason: 'rollback failed' } });
    expect(escalated.body).toMatchObject({ status: 'triggered', escalation_level: 1 });
    const resolved = await s.call('POST', `${path}/resolve`, { as: 'operator', body: { resolution: 'rolled back to 4.1' } });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolved_at: expect.any(String) });
    expect(kinds(resolved.body)).toEqual(['triggered', 'updated', 'assigned', 'note', 'acknowledged', 'escalated', 'resolved']);
    expect((await s.call('GET', path, { as: 'viewer' })).body).toEqual(resolved.body);

    for (const action of ['acknowledge', 'escalate']) {
      const refused = await s.call('POST', `${path}/${action}`, { as: 'operator' });
      expect(refused.status, action).toBe(409);
      expect(refused.body.code).toBe('incident_resolved');
    }
    const missing = await s.call('POST', '/automation/incidents/inc_nope/acknowledge', { as: 'operator' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('incident_not_found');
    const noPolicy = await s.call('POST', '/automation/incidents', { as: 'operator', body: { title: 'x', severity: 'info', escalation_policy_id: 'esc_nope' } });
    expect(noPolicy.status).toBe(404);
  });

  it('deduplicates incidents by key and lists them with filters, newest first', async () => {
    const first = await s.call('POST', '/automation/incidents', { as: 'operator', body: { title: 'Disk full on db1', severity: 'warning', service: 'db', dedup_key: 'disk-db1' } });
    const again = await s.call('POST', '/automation/incidents', { as: 'operator', body: { title: 'Disk full on db1', severity: 'warning', service: 'db', dedup_key: 'disk-db1' } });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.id).toBe(first.body.id);
    const db = await s.call('GET', '/automation/incidents?service=db', { as: 'viewer' });
    expect(db.body.items.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
    const open = await s.call('GET', '/automation/incidents?status=triggered&status=acknowledged&severity=warning', { as: 'viewer' });
    expect(open.body.items.map((i: { id: string }) => i.id)).toEqual([first.body.id]);
    const paged = await s.call('GET', '/automation/incidents?limit=1');
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.next_cursor).toBe(paged.body.items[0].id);
    const rest = await s.call('GET', `/automation/incidents?limit=10&cursor=${paged.body.next_cursor}`);
    expect(rest.body.items.length).toBeGreaterThan(0);
    expect((await s.call('GET', '/automation/incidents?status=sleeping')).status).toBe(400);
  });

  it('ingests alerts in our own format: a new key opens an incident, repeats count, acknowledge and resolve settle it', async () => {
    const alert = { action: 'trigger', dedup_key: 'cpu-web7', source: 'prometheus', severity: 'error', summary: 'CPU at 98% on web7', payload: { host: 'web7' } };
    expect((await s.call('POST', '/automation/alerts', { as: 'viewer', body: alert })).status).toBe(403);
    const first = await s.call('POST', '/automation/alerts', { as: 'operator', body: alert });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      created: true, incident_created: true,
      alert: { dedup_key: 'cpu-web7', source: 'prometheus', severity: 'error', status: 'triggered', count: 1, payload: { host: 'web7' } },
      incident: { title: 'CPU at 98% on web7', severity: 'error', status: 'triggered' },
    });
    const repeat = await s.call('POST', '/automation/alerts', { as: 'operator', body: alert });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ created: false, incident_created: false, alert: { id: first.body.alert.id, count: 2 }, incident: { id: first.body.incident.id } });

    const listed = await s.call('GET', '/automation/alerts?source=prometheus&status=triggered', { as: 'viewer' });
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([first.body.alert.id]);
    expect((await s.call('GET', `/automation/alerts?incident_id=${first.body.incident.id}`)).body.items).toHaveLength(1);

    const acked = await s.call('POST', '/automation/alerts', { as: 'operator', body: { action: 'acknowledge', dedup_key: 'cpu-web7' } });
    expect(acked.body).toMatchObject({ alert: { status: 'acknowledged' }, incident: { status: 'acknowledged' } });
    const resolved = await s.call('POST', '/automation/alerts', { as: 'operator', body: { action: 'resolve', dedup_key: 'cpu-web7' } });
    expect(resolved.body).toMatchObject({ alert: { status: 'resolved' }, incident: { status: 'resolved' } });
    const detail = await s.call('GET', `/automation/incidents/${first.body.incident.id}`);
    expect(kinds(detail.body)).toEqual(['triggered', 'alert_repeated', 'acknowledged', 'resolved']);
    expect(detail.body.alerts).toEqual([expect.objectContaining({ id: first.body.alert.id, status: 'resolved', count: 2 })]);
    // Nothing open under that key any more: accepted and ignored.
    expect((await s.call('POST', '/automation/alerts', { as: 'operator', body: { action: 'resolve', dedup_key: 'cpu-web7' } })).body).toMatchObject({ alert: null, incident: null });

    const noSummary = await s.call('POST', '/automation/alerts', { as: 'operator', body: { action: 'trigger', source: 'x', severity: 'info' } });
    expect(noSummary.status).toBe(400);
    expect(noSummary.body).toMatchObject({ code: 'invalid_alert', errors: [{ path: '/summary' }] });
    const noKey = await s.call('POST', '/automation/alerts', { as: 'operator', body: { action: 'acknowledge' } });
    expect(noKey.body).toMatchObject({ code: 'invalid_alert', errors: [{ path: '/dedup_key' }] });
  });
});
