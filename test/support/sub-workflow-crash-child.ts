/**
 * The process the sub-workflow crash test kills: `node --import tsx sub-workflow-crash-child.ts DATA_DIR SERVER_URL PHASE`.
 * `start`: stores a child workflow (one API call to SERVER_URL/slow, which the test holds) and a
 * parent that runs it and waits, starts the parent (idempotently), prints `waiting` once the parent
 * waits for the running child, then idles until killed. `resume`: opens the same data dir, waits
 * until the parent is final, prints its id, and exits 0.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/model/logger.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { LOOPBACK_EGRESS } from './loopback-egress.js';

const [dataDir, serverUrl, phase] = process.argv.slice(2) as [string, string, 'start' | 'resume'];
const app = await createApp(loadConfig({}, { dataDir, egressAllow: LOOPBACK_EGRESS }), { logger: silentLogger });

const child: WorkflowDefinition = {
  name: 'crash-child',
  nodes: [
    { id: 't', node_type: 'trigger', config: {} },
    { id: 'call', node_type: 'api_call', config: { method: 'GET', url: `${serverUrl}/slow` } },
    { id: 'answer', node_type: 'transform', config: { expression: '{ "host": $trigger.host, "got": $input.body }' } },
  ],
  edges: [{ id: 'c1', source_node_id: 't', target_node_id: 'call' }, { id: 'c2', source_node_id: 'call', target_node_id: 'answer' }],
};
const parent: WorkflowDefinition = {
  name: 'crash-parent',
  nodes: [
    { id: 't', node_type: 'trigger', config: {} },
    { id: 'sub', node_type: 'run_workflow', config: { workflow_id: 'crash-child', input: { host: '{{ $input.host }}' } } },
    { id: 'after', node_type: 'transform', config: { expression: '"child " & $input.child_execution_id & " said " & $string($input.answer.got)' } },
  ],
  edges: [{ id: 'p1', source_node_id: 't', target_node_id: 'sub' }, { id: 'p2', source_node_id: 'sub', target_node_id: 'after' }],
};

async function parentId(): Promise<string | undefined> {
  return (await app.store.db.selectFrom('executions').select('id').where('idempotency_key', '=', 'crash-parent-1').executeTakeFirst())?.id;
}

if (phase === 'start') {
  const c = await app.store.workflows.createWorkflow(child);
  await app.store.workflows.setActiveVersion(c.id, (await app.store.workflows.snapshotVersion(c.id, child)).id);
  const p = await app.store.workflows.createWorkflow(parent);
  const version = await app.store.workflows.snapshotVersion(p.id, parent);
  const started = await app.engine.startExecution({ version, input: { host: 'db1' }, idempotencyKey: 'crash-parent-1' });
  for (;;) {
    const x = await app.store.engine.getExecution(started.id);
    const kids = await app.store.db.selectFrom('executions').select('status').where('parent_execution_id', '=', started.id).execute();
    if (x?.status === 'waiting' && kids.length === 1 && kids[0]!.status === 'running') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write('waiting\n');
  setInterval(() => undefined, 60_000); // until SIGKILL
} else {
  const id = (await parentId())!;
  const final = await app.engine.waitForFinal(id);
  process.stdout.write(`${final.status} ${id}\n`);
  await app.close();
}
