import { afterAll, describe, expect, it } from 'vitest';
import { api, TestCluster } from '../support/cluster.js';
import { echoWorkflow } from '../triggers/trigger-test-kit.js';

describe('cluster: internal events emitted by a step on a worker', () => {
  // A short resync, so the worker learns of the listener's activation quickly.
  const cluster = new TestCluster({ ITW_TRIGGER_RESYNC_MS: '300' });
  afterAll(() => cluster.close());

  it('emit_event running on a worker starts the workflow listening for it, once', async () => {
    const { url, key, process: apiProcess } = await cluster.startApi();
    const worker = await cluster.startWorker(4);
    const deploy = async (def: object) => {
      const created = await api(url, key, 'POST', '/automation/workflows', def);
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      expect((await api(url, key, 'POST', `/automation/workflows/${id}/activate`)).status).toBe(200);
      return id;
    };
    const listener = await deploy(echoWorkflow('Listener', { trigger_type: 'event', source: 'internal', name: 'order.created' }));
    const emitter = await deploy({
      name: 'Emitter',
      nodes: [
        { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
        { id: 'emit', node_type: 'action', config: { action_type: 'emit_event', name: 'order.created', data: { order: '{{ $trigger.order }}' } } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'emit' }],
    });
    // The worker learns of the activation at its next trigger resync; retry the emit until then.
    const store = await cluster.openStore();
    try {
      let emitted: { status: string; output: string | null } | undefined;
      for (let i = 0; i < 60; i++) {
        const r = await api(url, key, 'POST', `/automation/workflows/${emitter}/execute`, { input_data: { order: 42 } });
        expect(r.status).toBe(202);
        const id = (r.body as { id: string }).id;
        for (let j = 0; j < 100; j++) {
          emitted = await store.db.selectFrom('node_executions').select(['status', 'output']).where('execution_id', '=', id).where('node_id', '=', 'emit').executeTakeFirst();
          if (emitted?.status === 'completed' || emitted?.status === 'failed') break;
          await new Promise((res) => setTimeout(res, 50));
        }
        const started = (JSON.parse(emitted?.output ?? '{}') as { executions?: unknown[] }).executions ?? [];
        if (started.length > 0) break;
        await new Promise((res) => setTimeout(res, 1000));
      }
      const heard = await store.db.selectFrom('executions').select(['input_data']).where('workflow_id', '=', listener).execute();
      expect(heard).toHaveLength(1);
      expect(JSON.parse(heard[0]!.input_data!)).toMatchObject({ source: 'internal', name: 'order.created', payload: { order: 42 } });
    } finally {
      await store.close();
    }
    apiProcess.proc.kill('SIGTERM');
    worker.process.proc.kill('SIGTERM');
    expect(await apiProcess.exited).toBe(0);
    expect(await worker.process.exited).toBe(0);
  }, 120_000);
});
