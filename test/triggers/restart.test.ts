import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { builtinSources } from '../../src/triggers/builtin-sources.js';
import { TRIGGER_TYPES } from '../../src/nodes/trigger.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { DIALECTS, openHarness } from '../support/harness.js';
import { dropSchema } from '../support/pg-schema.js';

const LISTENER = {
  name: 'Restored',
  nodes: [
    { id: 'in', node_type: 'trigger', config: { trigger_type: 'event', source: 'internal', name: 'ping' } },
    { id: 'echo', node_type: 'transform', config: { expression: '$trigger.payload' } },
  ],
  edges: [{ id: 'e1', source_node_id: 'in', target_node_id: 'echo' }],
} as unknown as WorkflowDefinition;

async function activate(app: App, def: WorkflowDefinition): Promise<string> {
  const { id } = await app.store.workflows.createWorkflow(def);
  const v = await app.store.workflows.snapshotVersion(id, def);
  await app.store.workflows.setActiveVersion(id, v.id);
  await app.repos.workflowQueries.setStatus(id, 'active');
  await app.triggers.sync(id);
  return id;
}

describe.each(DIALECTS)('trigger manager across a restart ($name)', (dialect) => {
  it('a restart brings the triggers of active workflows back from the store, with their status', async () => {
    const first = await openHarness(dialect);
    const { sql } = await import('kysely');
    const current = dialect.name === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(first.app.store.db)).rows[0]!.s : undefined;
    const wf = await activate(first.app, LISTENER);
    const fired = await first.app.triggers.emitEvent('ping', { n: 1 }, 'k1');
    expect(fired).toHaveLength(1);
    await first.app.close();

    const second = await openHarness(dialect, { dataDir: first.dataDir, clock: first.clock, ...(current ? { schema: current } : {}) });
    try {
      const again = await second.app.triggers.emitEvent('ping', { n: 1 }, 'k1');
      expect(again).toEqual([expect.objectContaining({ execution_id: fired[0]!.execution_id, duplicate: true })]);
      const other = await second.app.triggers.emitEvent('ping', { n: 2 }, 'k2');
      expect(other[0]!.duplicate).toBe(false);
      await second.app.triggers.flushStatus();
      const [row] = await second.app.repos.triggers.list(wf);
      expect(row).toMatchObject({ status: 'running', fire_count: 2, node_id: 'in', trigger_type: 'event' });
    } finally {
      await second.app.close();
      rmSync(first.dataDir, { recursive: true, force: true });
      if (current) await dropSchema(dialect.url!, current);
    }
  });
});

describe('trigger sources (shared checks)', () => {
  const sources = builtinSources({
    incidents: { ingestAlert: () => Promise.reject(new Error('unused')), onEvent: () => () => undefined },
    brokers: { mqttUrl: 'mqtt://127.0.0.1:1883', natsUrl: 'nats://127.0.0.1:4222', amqpUrl: 'amqp://127.0.0.1' },
    smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024 },
  });
  it('one source per trigger type, each with a config schema', () => {
    expect(sources.map((s) => s.type).sort()).toEqual([...TRIGGER_TYPES].sort());
    for (const s of sources) expect(s.configSchema).toBeTruthy();
  });
  it('ingress sources route and handle; listener sources do not', () => {
    const ingress = sources.filter((s) => s.handle !== undefined).map((s) => s.type).sort();
    expect(ingress).toEqual(['alert', 'api_endpoint', 'deployment', 'slack_command', 'webhook']);
    for (const s of sources) expect(s.routeKeys !== undefined).toBe(s.handle !== undefined);
  });
});
