/**
 * The process the concurrency-queue crash test kills: `node --import tsx keyed-queue-child.ts DATA_DIR SERVER_URL`.
 * Starts 8 executions per host (2 hosts) of a workflow limited to one run per host, in order and
 * idempotently (`<host>-<n>` keys: a restart starts only those the killed run never committed),
 * prints `started`, then keeps the engine running until every execution is final and exits 0.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/model/logger.js';
import { LOOPBACK_EGRESS } from './loopback-egress.js';

const QUEUE_HOSTS = ['db-a', 'db-b'];
const QUEUE_PER_HOST = 8;

const [dataDir, serverUrl] = process.argv.slice(2) as [string, string];
const app = await createApp(loadConfig({}, { dataDir, egressAllow: LOOPBACK_EGRESS }), { logger: silentLogger });
const def = {
  name: 'One run per host',
  settings: { concurrency: { key: '{{ $trigger.host }}', limit: 1 } },
  nodes: [
    { id: 'start', node_type: 'trigger' as const, config: { trigger_type: 'manual' } },
    { id: 'call', node_type: 'api_call' as const, config: { url: `${serverUrl}/hold/{{ $trigger.host }}/{{ $trigger.n }}`, timeout_seconds: 30 } },
  ],
  edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'call' }],
};
const existing = await app.store.db.selectFrom('workflows').select('id').where('name', '=', def.name).executeTakeFirst();
const workflowId = existing?.id ?? (await app.store.workflows.createWorkflow(def)).id;
const version = await app.store.workflows.snapshotVersion(workflowId, def);
for (let n = 1; n <= QUEUE_PER_HOST; n++) {
  for (const host of QUEUE_HOSTS) await app.engine.startExecution({ version, input: { host, n }, idempotencyKey: `${host}-${n}` });
}
process.stdout.write('started\n');
for (;;) {
  const open = await app.store.db.selectFrom('executions').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('status', 'not in', ['completed', 'failed', 'cancelled']).executeTakeFirstOrThrow();
  if (Number(open.n) === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
await app.close();
