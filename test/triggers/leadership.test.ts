import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { LeaderElection } from '../../src/cluster/leader.js';
import { ExecutionStarter } from '../../src/executions/execution-starter.js';
import { builtinSources } from '../../src/triggers/builtin-sources.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { TriggerManager, type Leadership } from '../../src/triggers/trigger-manager.js';
import type { TriggerSource } from '../../src/triggers/trigger-source.js';
import { type Harness, openHarness, POSTGRES } from '../support/harness.js';

const postgres = POSTGRES;

/** Two listener triggers: `file_watch` stands in for a singleton source, `schedule` for an ordinary one. */
const WORKFLOW = {
  name: 'Singleton',
  nodes: [
    { id: 'single', node_type: 'trigger', config: { trigger_type: 'file_watch' } },
    { id: 'everywhere', node_type: 'trigger', config: { trigger_type: 'schedule' } },
    { id: 'echo', node_type: 'transform', config: { expression: '$trigger' } },
  ],
  edges: [
    { id: 'e1', source_node_id: 'single', target_node_id: 'echo' },
    { id: 'e2', source_node_id: 'everywhere', target_node_id: 'echo' },
  ],
} as unknown as WorkflowDefinition;

/** In-test sources that only count how often they run: no broker, no directory. */
function fakeSources() {
  const live = { file_watch: 0, schedule: 0 };
  const starts = { file_watch: 0, schedule: 0 };
  const source = (type: 'file_watch' | 'schedule', singleton: boolean): TriggerSource => ({
    type,
    singleton,
    configSchema: Type.Object({}, { additionalProperties: true }),
    start: () => {
      starts[type] += 1;
      live[type] += 1;
      return Promise.resolve({ stop: () => Promise.resolve(void (live[type] -= 1)) });
    },
  });
  return { live, starts, sources: [source('file_watch', true), source('schedule', false)] };
}

/** Leadership the test hands out and takes back. */
function switchableLeadership(initial: boolean): Leadership & { set(leader: boolean): void } {
  let leader = initial;
  const listeners = new Set<(leader: boolean) => void>();
  return {
    isLeader: () => leader,
    onChange: (l) => (listeners.add(l), () => void listeners.delete(l)),
    set: (next) => {
      leader = next;
      for (const l of listeners) l(next);
    },
  };
}

/** What app.ts wires: a LeaderElection as the manager's leadership. */
async function electedLeadership(key: string): Promise<Leadership & { election: LeaderElection }> {
  const listeners = new Set<(leader: boolean) => void>();
  const election = await LeaderElection.start({
    connectionString: postgres.url!, key, retryMs: 100,
    onChange: (leader) => listeners.forEach((l) => l(leader)),
  });
  return { election, isLeader: () => election.isLeader, onChange: (l) => (listeners.add(l), () => void listeners.delete(l)) };
}

/** A manager of its own over the harness's store and engine, as another process would have. */
function managerOver(h: Harness, sources: readonly TriggerSource[], leadership?: Leadership): TriggerManager {
  const { app } = h;
  const starter = new ExecutionStarter({ engine: app.engine, executions: app.store.engine, workflows: app.store.workflows, catalog: app.catalog });
  return new TriggerManager({
    engine: app.engine, starter, workflows: app.store.workflows, triggers: app.repos.triggers, clock: h.clock,
    sources, resyncMs: 0, statusFlushMs: 10, ...(leadership ? { leadership } : {}),
  });
}

async function activate(app: App, def: WorkflowDefinition): Promise<string> {
  const { id } = await app.store.workflows.createWorkflow(def);
  const v = await app.store.workflows.snapshotVersion(id, def);
  await app.store.workflows.setActiveVersion(id, v.id);
  await app.repos.workflowQueries.setStatus(id, 'active');
  return id;
}

async function until(pred: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('trigger manager with cluster leadership (postgres)', () => {
  let h: Harness;
  const managers: TriggerManager[] = [];
  beforeEach(async () => {
    // The app's own manager does not resync, so it never runs the workflows these tests activate.
    h = await openHarness(postgres, { config: { triggerResyncMs: 0 } });
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.stop()));
    await h.close();
  });

  it('starts a singleton source only while leader: on gaining leadership, and stops it on losing it', async () => {
    const fake = fakeSources();
    const leadership = switchableLeadership(false);
    const m = managerOver(h, fake.sources, leadership);
    managers.push(m);
    await m.start();
    const wf = await activate(h.app, WORKFLOW);
    await m.sync(wf);
    await until(() => fake.live.schedule === 1, 'the ordinary source to start');
    expect(fake.starts.file_watch).toBe(0);
    await m.flushStatus();
    const rows = await h.app.repos.triggers.list(wf);
    // A follower writes nothing for the singleton: its status is the leader's to tell.
    expect(rows.find((r) => r.node_id === 'single')?.status).not.toBe('running');
    expect(rows.find((r) => r.node_id === 'everywhere')?.status).toBe('running');

    leadership.set(true);
    await until(() => fake.live.file_watch === 1, 'the singleton to start');
    await m.flushStatus();
    expect((await h.app.repos.triggers.list(wf)).find((r) => r.node_id === 'single')?.status).toBe('running');

    leadership.set(false);
    await until(() => fake.live.file_watch === 0, 'the singleton to stop');
    expect(fake.live.schedule).toBe(1);
    expect(fake.starts).toEqual({ file_watch: 1, schedule: 1 });

    // Once more, and a resync while leader starts nothing twice.
    leadership.set(true);
    await until(() => fake.live.file_watch === 1, 'the singleton to start again');
    await m.resync();
    expect(fake.starts).toEqual({ file_watch: 2, schedule: 1 });
  });

  it('without leadership (one process) a singleton source always runs', async () => {
    const fake = fakeSources();
    const m = managerOver(h, fake.sources);
    managers.push(m);
    await m.start();
    await m.sync(await activate(h.app, WORKFLOW));
    await until(() => fake.live.file_watch === 1 && fake.live.schedule === 1, 'both sources to start');
  });

  it('two managers on one database: the elected one runs the singleton, the other takes over when it stops', async () => {
    const key = `test:${randomUUID()}`;
    const [fa, fb] = [fakeSources(), fakeSources()];
    const la = await electedLeadership(key);
    const lb = await electedLeadership(key);
    const a = managerOver(h, fa.sources, la);
    const b = managerOver(h, fb.sources, lb);
    managers.push(a, b);
    await a.start();
    await b.start();
    const wf = await activate(h.app, WORKFLOW);
    await a.sync(wf);
    await b.sync(wf);
    await until(() => fa.live.schedule === 1 && fb.live.schedule === 1, 'the ordinary source to start in both');
    await until(() => fa.live.file_watch === 1, 'the leader to start the singleton');
    expect(fb.starts.file_watch).toBe(0);

    await la.election.stop();
    await until(() => fa.live.file_watch === 0, 'the old leader to stop the singleton');
    await until(() => fb.live.file_watch === 1, 'the new leader to start it');
    await lb.election.stop();
  });
});

describe('singleton sources', () => {
  const sources = builtinSources({
    incidents: { ingestAlert: () => Promise.reject(new Error('unused')), onEvent: () => () => undefined },
    brokers: { mqttUrl: 'mqtt://127.0.0.1:1883', natsUrl: 'nats://127.0.0.1:4222', amqpUrl: 'amqp://127.0.0.1' },
    smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024 },
  });
  const singleton = (type: string, config: Record<string, unknown>) => {
    const s = sources.find((x) => x.type === type)!.singleton;
    return typeof s === 'function' ? s(config) : s === true;
  };
  it('are IMAP polling, MQTT subscriptions and file watches; shared or per-request work is not', () => {
    expect(singleton('email', { mode: 'imap' })).toBe(true);
    expect(singleton('email', { mode: 'smtp' })).toBe(false);
    expect(singleton('event', { source: 'mqtt' })).toBe(true);
    for (const source of ['internal', 'nats', 'amqp']) expect(singleton('event', { source })).toBe(false);
    expect(singleton('file_watch', {})).toBe(true);
    for (const type of ['manual', 'schedule', 'webhook', 'api_endpoint', 'incident', 'alert', 'deployment']) expect(singleton(type, {})).toBe(false);
  });
});
