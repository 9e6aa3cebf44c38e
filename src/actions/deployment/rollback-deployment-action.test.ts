import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOver, sandboxPath } from '../../../test/support/sandbox-path.js';
import { noCredentials } from '../../model/credentials.js';
import { openStore, type Store } from '../../store/connect.js';
import { deployApplicationAction } from './deploy-application-action.js';
import { KyselyDeploymentLedger } from '../../store/kysely-deployment-ledger.js';
import { NO_DEPLOYMENT_LEDGER, type DeploymentLedger } from './deployment-ledger.js';
import { rollbackDeploymentAction } from './rollback-deployment-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

let key = 0;
let ledger: DeploymentLedger = NO_DEPLOYMENT_LEDGER;
const ctx = <P>(params: P) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: `exec:n:0:${++key}`, credentials: noCredentials, services: testServices({ sandbox: sandboxOver(out), deployments: ledger }) });

const dir = mkdtempSync(join(tmpdir(), 'itw-rollback-'));
// The command runs in the sandbox: it writes where the site lets sandboxed steps write.
const out = sandboxPath('itw-rollback-out-');
const live = join(out, 'live');
// The "server": a file holding the version that runs.
const install = ['sh', '-c', `printf %s "$1" > ${live}`, 'sh'];
let store: Store;

beforeAll(async () => {
  store = await openStore({ dataDir: dir });
  ledger = KyselyDeploymentLedger.over(store.db);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

async function deploy(application: string, version: string) {
  await deployApplicationAction.run(ctx({ application, environment: 'prod', version, method: 'command' as const, command: [...install, version] }));
}
const rollback = (application: string, to_version?: string) =>
  rollbackDeploymentAction.run(ctx({ application, environment: 'prod', method: 'command' as const, command: [...install, '{version}'], ...(to_version ? { to_version } : {}) }));

describe('rollback_deployment', () => {
  it('steps back through the versions that were live, then has nothing left', async () => {
    for (const v of ['v1', 'v2', 'v3']) await deploy('shop', v);
    expect(await rollback('shop')).toMatchObject({ version: 'v2', previous_version: 'v3', rollback: true });
    expect(readFileSync(live, 'utf8')).toBe('v2');
    expect(await rollback('shop')).toMatchObject({ version: 'v1', previous_version: 'v2' });
    expect(readFileSync(live, 'utf8')).toBe('v1');
    await expect(rollback('shop')).rejects.toMatchObject({ code: 'nothing_to_roll_back', retryable: false });
  });

  it('rolls back to a named version', async () => {
    for (const v of ['a1', 'a2', 'a3']) await deploy('api', v);
    expect(await rollback('api', 'a1')).toMatchObject({ version: 'a1', previous_version: 'a3' });
    expect(readFileSync(live, 'utf8')).toBe('a1');
  });

  it('refuses when nothing was deployed', async () => {
    await expect(rollback('never-deployed')).rejects.toMatchObject({ code: 'nothing_to_roll_back' });
  });
});
