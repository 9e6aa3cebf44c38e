/**
 * The process the fleet crash test kills: `node --import tsx fleet-crash-child.ts DATA_DIR SETUP_JSON`.
 * SETUP_JSON: `{servers: [{name, port, clientKey, hostFingerprint}], marks}`. Creates (once) one
 * ssh_key credential and one host per server and a workflow whose one step runs a command on every
 * host, one at a time; starts its execution (idempotency key `fleet-1`, so a restart starts nothing
 * new), prints `ready`, and exits 0 once the execution is final.
 */
import { userInfo } from 'node:os';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/model/logger.js';
import type { WorkflowDefinition } from '../../src/model/types.js';
import { LOOPBACK_EGRESS } from './loopback-egress.js';

interface Setup { servers: { name: string; port: number; clientKey: string; hostFingerprint: string }[]; command: string }
const [dataDir, setupText] = process.argv.slice(2) as [string, string];
const setup = JSON.parse(setupText) as Setup;
const app = await createApp(loadConfig({}, { dataDir, egressAllow: LOOPBACK_EGRESS }), { logger: silentLogger });
if ((await app.repos.hosts.list()).length === 0) {
  for (const s of setup.servers) {
    await app.vault.create({ name: `key-${s.name}`, type: 'ssh_key', data: { host: '127.0.0.1', username: userInfo().username, private_key: s.clientKey, passphrase: 'key-pass', host_key_fingerprint: s.hostFingerprint }, allowed_hosts: ['127.0.0.1'] });
    await app.repos.hosts.create({ name: s.name, address: '127.0.0.1', port: s.port, tags: ['fleet'], ssh_credential_id: `key-${s.name}` });
  }
}
const def: WorkflowDefinition = {
  name: 'fleet-crash',
  nodes: [
    { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
    { id: 'fleet', node_type: 'action', config: { action_type: 'execute_command', params: { command: setup.command, shell: true, targets: { tags: ['fleet'] }, concurrency: 1, timeout_seconds: 120 } } },
  ],
  edges: [{ id: 'e1', source_node_id: 'start', target_node_id: 'fleet' }],
};
const existing = await app.store.db.selectFrom('workflows').select('id').where('name', '=', def.name).executeTakeFirst();
const workflowId = existing?.id ?? (await app.store.workflows.createWorkflow(def)).id;
const version = await app.store.workflows.snapshotVersion(workflowId, def);
const execution = await app.engine.startExecution({ version, input: {}, idempotencyKey: 'fleet-1' });
process.stdout.write('ready\n');
await app.engine.waitForFinal(execution.id);
await app.close();
