import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { lastMissedTick, nextTicks } from '../../src/triggers/sources/schedule.js';
import { DIALECTS, type Harness, openHarness, POSTGRES, SQLITE } from '../support/harness.js';
import { deployActive, echoWorkflow, startTriggerServer, triggersOf } from './trigger-test-kit.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('schedule tick arithmetic', () => {
  it('5-field cron, 6-field cron with seconds, time zones and intervals', () => {
    const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString());
    expect(iso(nextTicks({ cron: '*/15 * * * *', timezone: 'UTC', misfire: 'skip' }, T0, 3))).toEqual(['2026-03-01T10:15:00.000Z', '2026-03-01T10:30:00.000Z', '2026-03-01T10:45:00.000Z']);
    expect(iso(nextTicks({ cron: '*/20 * * * * *', timezone: 'UTC', misfire: 'skip' }, T0 + 5000, 2))).toEqual(['2026-03-01T10:00:20.000Z', '2026-03-01T10:00:40.000Z']);
    // 09:00 in New York is 14:00 UTC in March before DST (EST, UTC-5).
    expect(iso(nextTicks({ cron: '0 9 * * *', timezone: 'America/New_York', misfire: 'skip' }, T0, 1))).toEqual(['2026-03-01T14:00:00.000Z']);
    expect(iso(nextTicks({ interval_seconds: 90, timezone: 'UTC', misfire: 'skip' }, T0 + 1, 2))).toEqual(['2026-03-01T10:01:30.000Z', '2026-03-01T10:03:00.000Z']);
    expect(lastMissedTick({ cron: '0 * * * *', timezone: 'UTC', misfire: 'run_once' }, T0, T0 + 3.5 * 3600_000)).toBe(T0 + 3 * 3600_000);
    expect(lastMissedTick({ cron: '0 * * * *', timezone: 'UTC', misfire: 'run_once' }, T0, T0 + 1000)).toBeUndefined();
  });
});

function scheduled(name: string, config: Record<string, unknown>): WorkflowDefinition {
  const def = echoWorkflow(name, { trigger_type: 'schedule', ...config });
  return { ...def, edges: def.edges.map((e, i) => ({ ...e, id: `e${i}` })) } as unknown as WorkflowDefinition;
}

async function activate(app: App, def: WorkflowDefinition): Promise<string> {
  const { id } = await app.store.workflows.createWorkflow(def);
  const v = await app.store.workflows.snapshotVersion(id, def);
  await app.store.workflows.setActiveVersion(id, v.id);
  await app.repos.workflowQueries.setStatus(id, 'active');
  await app.triggers.sync(id);
  return id;
}

async function executions(app: App, workflowId: string) {
  return app.store.db.selectFrom('executions').select(['id', 'input_data', 'idempotency_key', 'status']).where('workflow_id', '=', workflowId).orderBy('created_at').execute();
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  return fn();
}

/** Lets the async tick handlers (claim, start) run between clock steps. */
const flush = () => new Promise((r) => setTimeout(r, 30));

describe.each(DIALECTS)('schedule trigger ($name)', (dialect) => {
  let h: Harness;
  // The server log (trigger warnings among it), as pino writes it.
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await openHarness(dialect, { logStream: { write: (line: string) => void logLines.push(line) } });
  });
  afterAll(async () => h.close());

  it('fires once per tick on the injected clock, with the tick as idempotency key', async () => {
    const start = Math.ceil(h.clock.now() / 60_000) * 60_000;
    h.clock.advance(start - h.clock.now());
    const wf = await activate(h.app, scheduled('Every 10s', { cron: '*/10 * * * * *' }));
    h.clock.advance(10_000);
    await flush();
    h.clock.advance(10_000);
    await flush();
    h.clock.advance(5_000);
    const rows = await until(() => executions(h.app, wf), (r) => r.length >= 2);
    expect(rows).toHaveLength(2);
    const inputs = rows.map((r) => JSON.parse(r.input_data!) as { scheduled_at: string; misfire: boolean });
    expect(inputs.map((i) => i.scheduled_at)).toEqual([new Date(start + 10_000).toISOString(), new Date(start + 20_000).toISOString()]);
    expect(rows[0]!.idempotency_key).toContain(`tick:${new Date(start + 10_000).toISOString()}`);
  });

  it('the wall clock set back does not fire a tick twice; set forward, the latest tick fires and the skipped ones are logged', async () => {
    try {
      const start = Math.ceil(h.clock.now() / 60_000) * 60_000;
      h.clock.advance(start - h.clock.now());
      const wf = await activate(h.app, scheduled('Every minute', { cron: '* * * * *' }));
      const at = (n: number) => new Date(start + n * 60_000).toISOString();
      const ticks = async (n: number) => (await until(() => executions(h.app, wf), (r) => r.length >= n)).map((r) => (JSON.parse(r.input_data!) as { scheduled_at: string }).scheduled_at);
      h.clock.advance(60_000);
      expect(await ticks(1)).toEqual([at(1)]);
      // Set back 30 s (NTP step, VM resume): the wall clock passes tick 1 again.
      h.clock.jump(-30_000);
      h.clock.advance(60_000);
      await flush();
      expect(await ticks(1)).toEqual([at(1)]);
      h.clock.advance(30_000);
      expect(await ticks(2)).toEqual([at(1), at(2)]);
      // Set forward 10 minutes: ticks 3..12 pass unseen; tick 13 fires (as a misfire) and the gap is logged.
      h.clock.jump(10 * 60_000);
      h.clock.advance(60_000);
      expect(await ticks(3)).toEqual([at(1), at(2), at(13)]);
      expect(logLines.some((l) => l.includes('jumped forward past 10 schedule tick(s)') && l.includes('"component":"triggers"'))).toBe(true);
      h.clock.advance(60_000);
      expect(await ticks(4)).toEqual([at(1), at(2), at(13), at(14)]);
      await flush();
      expect(await ticks(4)).toHaveLength(4);
      await h.app.repos.workflowQueries.setStatus(wf, 'inactive');
      await h.app.triggers.sync(wf);
    } finally {
      logLines.length = 0;
    }
  });

  it('misfire policy: run_once fires the latest missed tick after downtime, skip does not', async () => {
    const once = await activate(h.app, scheduled('Hourly once', { cron: '0 * * * *', misfire: 'run_once' }));
    const skip = await activate(h.app, scheduled('Hourly skip', { cron: '0 * * * *', misfire: 'skip' }));
    const nextHour = Math.ceil((h.clock.now() + 1) / 3600_000) * 3600_000;
    h.clock.advance(nextHour - h.clock.now());
    await until(() => executions(h.app, skip), (r) => r.length === 1);
    await until(() => executions(h.app, once), (r) => r.length === 1);
    h.clock.advance(60_000);
    // Down for three hours: closed, the clock moves on, then the same store opens again.
    const keep = { dataDir: h.dataDir, schema: dialect.name === 'postgres' ? await currentSchema(h.app) : undefined, clock: h.clock };
    await h.app.close();
    h.clock.advance(3 * 3600_000);
    const first = h;
    h = await openHarness(dialect, { dataDir: keep.dataDir, clock: keep.clock, ...(keep.schema ? { schema: keep.schema } : {}) });
    const reopened = h;
    // The suite's afterAll closes `h`; the first harness owned the data dir and schema, so it cleans them up after.
    h = { ...reopened, close: async () => { await reopened.close(); await first.close().catch(() => undefined); } };
    const onceRows = await until(() => executions(h.app, once), (r) => r.length === 2);
    expect(onceRows).toHaveLength(2);
    const missed = JSON.parse(onceRows[1]!.input_data!) as { misfire: boolean; scheduled_at: string };
    expect(missed.misfire).toBe(true);
    expect(Date.parse(missed.scheduled_at)).toBe(Math.floor(h.clock.now() / 3600_000) * 3600_000);
    await flush();
    expect(await executions(h.app, skip)).toHaveLength(1);
  });
});

describe('schedule across server processes (postgres)', () => {
  it('two processes sharing the database fire each tick once', async () => {
    const a = await openHarness(POSTGRES);
    const b = await openHarness(POSTGRES, { schema: await currentSchema(a.app), clock: a.clock });
    try {
      const start = Math.ceil(a.clock.now() / 60_000) * 60_000;
      a.clock.advance(start - a.clock.now());
      const wf = await activate(a.app, scheduled('Cluster', { interval_seconds: 5 }));
      await b.app.triggers.resync();
      // Both processes run the schedule: each would fire every tick on its own.
      expect(a.app.triggers.bindings('schedule').map((t) => t.binding.workflowId)).toContain(wf);
      expect(b.app.triggers.bindings('schedule').map((t) => t.binding.workflowId)).toContain(wf);
      for (let i = 0; i < 6; i++) {
        a.clock.advance(5000);
        await flush();
      }
      const rows = await until(() => executions(a.app, wf), (r) => r.length >= 6);
      await flush();
      expect(await executions(a.app, wf)).toHaveLength(6);
      // Both processes race for every tick; which one wins each is up to scheduling, but every tick
      // is claimed exactly once and started exactly one execution.
      const claims = await a.app.store.db.selectFrom('trigger_ticks').select(['tick_at', 'claimed_by']).execute();
      expect(claims).toHaveLength(6);
      expect(new Set(claims.map((c) => c.tick_at)).size).toBe(6);
      expect(rows.length).toBe(6);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

async function currentSchema(app: App): Promise<string> {
  const { sql } = await import('kysely');
  const r = await sql<{ s: string }>`select current_schema() as s`.execute(app.store.db);
  return r.rows[0]!.s;
}

describe('schedule next runs in the API', () => {
  it('lists the next five run times of a schedule trigger', async () => {
    const s = await startTriggerServer(SQLITE);
    try {
      const wf = await deployActive(s, echoWorkflow('Nightly', { trigger_type: 'schedule', cron: '30 2 * * *', timezone: 'Europe/Berlin' }));
      const [t] = await triggersOf(s, wf);
      const runs = t!['next_runs'] as string[];
      expect(runs).toHaveLength(5);
      for (const r of runs) expect(new Date(r).toISOString().slice(11, 16)).toMatch(/^0[01]:30$/);
      const bad = await s.call('POST', `/automation/workflows/${wf}/triggers`, { body: { trigger_type: 'schedule', config: { cron: '61 * * * *' } } });
      expect(bad.status).toBe(400);
    } finally {
      await s.close();
    }
  });
});
