/**
 * The process the crash test kills: `node --import tsx crash-child.ts DATA_DIR SERVER_URL COUNT`.
 * Starts COUNT executions of the crash workflow (idempotently: `n-<n>` keys, so a restart starts only
 * the ones the killed run never committed), then keeps the engine running until every execution
 * is final, and exits 0. Prints `ready` when its engine runs and `started` once all executions exist.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { crashWorkflow } from './crash-workflow.js';
import { LOOPBACK_EGRESS } from './loopback-egress.js';
import { silentLogger } from '../../src/model/logger.js';

const [dataDir, serverUrl, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
// Its stdout is the test's protocol (ready/started): the app logs nowhere.
const app = await createApp(loadConfig({}, { dataDir, egressAllow: LOOPBACK_EGRESS }), { logger: silentLogger });
const def = crashWorkflow(serverUrl);
const existing = await app.store.db.selectFrom('workflows').select('id').where('name', '=', def.name).executeTakeFirst();
const workflowId = existing?.id ?? (await app.store.workflows.createWorkflow(def)).id;
const version = await app.store.workflows.snapshotVersion(workflowId, def);
process.stdout.write('ready\n');
let next = 1;
await Promise.all(Array.from({ length: 50 }, async () => {
  while (next <= count) {
    const n = next++;
    await app.engine.startExecution({ version, input: { n }, idempotencyKey: `n-${n}` });
  }
}));
process.stdout.write('started\n');
for (;;) {
  const open = await app.store.db.selectFrom('executions').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('status', 'not in', ['completed', 'failed', 'cancelled']).executeTakeFirstOrThrow();
  if (Number(open.n) === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
await app.close();
