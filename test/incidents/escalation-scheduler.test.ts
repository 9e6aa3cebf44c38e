import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { EscalationScheduler } from '../../src/incidents/escalation-scheduler.js';
import type { IncidentHookEvent } from '../../src/incidents/incident-hooks.js';
import type { IncidentService } from '../../src/incidents/incident-service.js';
import type { EscalationPolicy } from '../../src/incidents/incident-types.js';
import type { Store } from '../../src/store/connect.js';
import { DIALECTS, incidentDb, RecordingNotifier, serviceOver, type IncidentDb } from './incident-db.js';

const MIN = 60_000;

// level 0: oncall-a, oncall-b (paged at once) --5 min--> level 1: lead --10 min--> (repeat)
const twoLevels = (repeat: number) => ({
  name: `two levels ${Math.random()}`,
  levels: [
    { delay_minutes: 5, targets: [{ type: 'user' as const, value: 'oncall-a' }, { type: 'email' as const, value: 'oncall-b@example.com' }] },
    { delay_minutes: 10, targets: [{ type: 'slack_channel' as const, value: '#leads' }] },
  ],
  repeat,
});

describe.each(DIALECTS)('escalation on %s', (dialect) => {
  let db: IncidentDb;
  let store: Store;
  let clock: FakeClock;
  let service: IncidentService;
  let notifier: RecordingNotifier;
  let scheduler: EscalationScheduler;
  let hooks: IncidentHookEvent[];

  beforeAll(async () => {
    db = incidentDb(dialect);
    store = await db.open();
  });

  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  const begin = (failing: string[] = []) => {
    clock = new FakeClock();
    service = serviceOver(store, clock);
    hooks = [];
    service.onEvent((e) => void hooks.push(e));
    notifier = new RecordingNotifier(failing);
    scheduler = EscalationScheduler.over(store.db, service, { clock, notifier, pollMs: 30_000 });
    scheduler.start();
  };

  /** Moves the fake clock and waits for the scheduler to finish what fell due. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    await scheduler.drain();
  };

  const open = async (policy: EscalationPolicy) => {
    const { incident } = await service.createIncident({ title: 'API down', severity: 'critical', escalation_policy_id: policy.id });
    await scheduler.drain();
    return incident;
  };

  afterEach(async () => {
    await scheduler.stop();
  });

  it('pages level 0 at once and level 1 only after its delay, recording escalated + notified rows', async () => {
    begin(['oncall-b@example.com']);
    const policy = await service.policies.create(twoLevels(0));
    const incident = await open(policy);
    expect(notifier.targets).toEqual(['oncall-a', 'oncall-b@example.com']);

    await advance(5 * MIN - 1000);
    expect(notifier.targets).toHaveLength(2);
    await advance(1000);
    expect(notifier.pages.slice(2)).toEqual([{ target: '#leads', incident: incident.key, level: 1, round: 0 }]);

    // Last level, no repeat: nothing more, however long we wait.
    await advance(60 * MIN);
    expect(notifier.targets).toHaveLength(3);

    const detail = await service.getIncident(incident.id);
    expect(detail?.escalation_level).toBe(1);
    const rows = detail!.timeline.filter((e) => e.kind !== 'triggered').map((e) => [e.kind, e.data?.['level'], e.data?.['ok'] ?? null]);
    expect(rows).toEqual([
      ['notified', 0, true],
      ['notified', 0, false],
      ['escalated', 1, null],
      ['notified', 1, true],
    ]);
    expect(detail!.timeline.find((e) => e.data?.['ok'] === false)?.data).toMatchObject({ error: 'oncall-b@example.com unreachable' });
    expect(hooks.map((h) => h.type)).toEqual(['incident.created', 'incident.escalated']);
  });

  it('stops escalating when acknowledged before the delay', async () => {
    begin();
    const policy = await service.policies.create(twoLevels(2));
    const incident = await open(policy);
    await advance(4 * MIN);
    await service.acknowledgeIncident(incident.id, { actor: 'oncall-a' });
    await advance(60 * MIN);
    expect(notifier.targets).toEqual(['oncall-a', 'oncall-b@example.com']);
    const timeline = (await service.getIncident(incident.id))!.timeline;
    expect(timeline.find((e) => e.kind === 'acknowledged')?.data).toEqual({ cancelled_timers: 1 });
    expect(timeline.some((e) => e.kind === 'escalated')).toBe(false);
  });

  it('repeats the levels `repeat` more times, then stops', async () => {
    begin();
    const policy = await service.policies.create(twoLevels(1));
    await open(policy);
    await advance(5 * MIN); // level 1
    await advance(10 * MIN); // round 1, level 0
    await advance(5 * MIN); // round 1, level 1
    await advance(60 * MIN);
    expect(notifier.pages.map((p) => `${p.round}/${p.level}:${p.target}`)).toEqual([
      '0/0:oncall-a',
      '0/0:oncall-b@example.com',
      '0/1:#leads',
      '1/0:oncall-a',
      '1/0:oncall-b@example.com',
      '1/1:#leads',
    ]);
  });

  it('escalates by hand to the next level now and carries on from there', async () => {
    begin();
    const policy = await service.policies.create(twoLevels(0));
    const incident = await open(policy);
    await service.acknowledgeIncident(incident.id);
    const escalated = await service.escalateIncident(incident.id, { actor: 'carol', reason: 'no progress' });
    // Paging the next level re-opens an acknowledged incident.
    expect(escalated).toMatchObject({ status: 'triggered', escalation_level: 1 });
    await scheduler.drain();
    expect(notifier.targets).toEqual(['oncall-a', 'oncall-b@example.com', '#leads']);
    const row = (await service.getIncident(incident.id))!.timeline.find((e) => e.kind === 'escalated');
    expect(row).toMatchObject({ actor: 'carol', data: { from_level: 0, level: 1, reason: 'no progress', manual: true } });

    await service.resolveIncident(incident.id);
    await expect(service.escalateIncident(incident.id)).rejects.toMatchObject({ code: 'incident_resolved' });
  });

  it('fires a pending timer once after a restart', async () => {
    begin();
    const policy = await service.policies.create(twoLevels(0));
    const incident = await open(policy);
    await scheduler.stop();
    await store.close();

    store = await db.open();
    const reopenedAt = clock;
    service = serviceOver(store, reopenedAt);
    notifier = new RecordingNotifier();
    scheduler = EscalationScheduler.over(store.db, service, { clock: reopenedAt, notifier });
    scheduler.start();
    await scheduler.drain();
    expect(notifier.targets).toEqual([]); // level 0 was paged before the restart

    await advance(5 * MIN);
    await advance(30 * MIN);
    expect(notifier.pages).toEqual([{ target: '#leads', incident: incident.key, level: 1, round: 0 }]);
    const escalated = (await service.getIncident(incident.id))!.timeline.filter((e) => e.kind === 'escalated');
    expect(escalated).toHaveLength(1);
  });
});

describe('escalation with two processes on postgres', () => {
  it('fires each timer in exactly one of them', async () => {
    const db = incidentDb('postgres');
    const stores = [await db.open(), await db.open()];
    const clock = new FakeClock();
    const notifiers = [new RecordingNotifier(), new RecordingNotifier()];
    const services = stores.map((s) => serviceOver(s, clock));
    const schedulers = stores.map((s, i) => EscalationScheduler.over(s.db, services[i]!, { clock, notifier: notifiers[i]! }));
    try {
      const policy = await services[0]!.policies.create(twoLevels(0));
      for (let i = 0; i < 10; i++) await services[0]!.createIncident({ title: `down ${i}`, severity: 'critical', escalation_policy_id: policy.id });
      // Both start at once over the same ten due level-0 timers, then race for the level-1 ones.
      for (const s of schedulers) s.start();
      await Promise.all(schedulers.map((s) => s.drain()));
      clock.advance(5 * MIN);
      await Promise.all(schedulers.map((s) => s.drain()));
      const all = [...notifiers[0]!.pages, ...notifiers[1]!.pages].map((p) => `${p.incident}:${p.target}`).sort();
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
    } finally {
      for (const s of schedulers) await s.stop();
      for (const s of stores) await s.close();
      await db.dispose();
    }
  });
});
